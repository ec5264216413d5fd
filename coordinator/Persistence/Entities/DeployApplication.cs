namespace BuildFarm.Coordinator.Persistence.Entities;

/// <summary>A CodeDeploy application: a name that groups deployment groups.</summary>
public sealed class DeployApplication
{
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
