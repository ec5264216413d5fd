namespace BuildFarm.Coordinator.Deployments;

/// <summary>What a caller may set on a new deployment; nulls take the group's settings.</summary>
public sealed record DeploymentRequestOptions(
    string? DeploymentConfig = null,
    bool? IgnoreApplicationStopFailures = null,
    string? FileExistsBehavior = null,
    bool? AutoRollback = null);
