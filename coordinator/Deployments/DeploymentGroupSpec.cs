namespace BuildFarm.Coordinator.Deployments;

/// <summary>A deployment group as the admin API defines it.</summary>
public sealed record DeploymentGroupSpec(
    IReadOnlyDictionary<string, string>? TagFilters,
    IReadOnlyList<string>? InstanceNames,
    string? DeploymentConfig,
    bool AutoRollback,
    bool IgnoreApplicationStopFailures);
