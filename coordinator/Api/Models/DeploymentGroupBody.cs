namespace BuildFarm.Coordinator.Api.Models;

public sealed record DeploymentGroupBody(
    Dictionary<string, string>? TagFilters,
    List<string>? InstanceNames,
    string? DeploymentConfig,
    bool AutoRollback,
    bool IgnoreApplicationStopFailures);
