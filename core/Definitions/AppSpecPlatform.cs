namespace BuildFarm.Core.Definitions;

/// <summary>CodeDeploy's compute platforms, told apart by the appspec's shape.</summary>
public enum AppSpecPlatform
{
    /// <summary>EC2/on-premises: <c>os</c>, <c>files</c>, <c>permissions</c>, <c>hooks</c> with scripts.</summary>
    Server,

    /// <summary><c>Resources</c> with an <c>AWS::ECS::Service</c> target.</summary>
    Ecs,

    /// <summary><c>Resources</c> with an <c>AWS::Lambda::Function</c> target.</summary>
    Lambda,
}
