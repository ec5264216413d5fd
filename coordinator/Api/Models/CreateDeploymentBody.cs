namespace BuildFarm.Coordinator.Api.Models;

public sealed record CreateDeploymentBody(
    string Application,
    string Group,
    string Revision,
    string? DeploymentConfig,
    bool? IgnoreApplicationStopFailures,
    string? FileExistsBehavior,
    bool? AutoRollback);
