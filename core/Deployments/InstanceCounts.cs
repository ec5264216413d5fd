namespace BuildFarm.Core.Deployments;

/// <summary>Where a deployment's instances are: not started, deploying, and finished either way.</summary>
public readonly record struct InstanceCounts(int Pending, int InProgress, int Succeeded, int Failed)
{
    public int Total => Pending + InProgress + Succeeded + Failed;
}
