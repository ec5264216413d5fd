namespace BuildFarm.Worker.Deploy;

/// <summary>The deployment and event the agent is in, persisted so a restarted agent can report it failed.</summary>
public sealed record OngoingDeployment(Guid DeploymentId, Guid InstanceDeploymentId, Guid DeploymentGroupId, string LifecycleEvent);
