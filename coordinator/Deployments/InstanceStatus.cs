namespace BuildFarm.Coordinator.Deployments;

/// <summary>One instance's part in a deployment. InProgress starts when the DeployRevision message is written.</summary>
public enum InstanceStatus
{
    Pending,
    InProgress,
    Succeeded,
    Failed,
    Skipped,
}
