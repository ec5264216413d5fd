namespace BuildFarm.Coordinator.Deployments;

public enum DeploymentStatus
{
    InProgress,
    Succeeded,
    Failed,
    Stopped,
}
