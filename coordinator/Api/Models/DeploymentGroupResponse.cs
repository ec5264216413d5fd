using BuildFarm.Coordinator.Persistence.Entities;

namespace BuildFarm.Coordinator.Api.Models;

public sealed record DeploymentGroupResponse(
    Guid Id,
    string Application,
    string Name,
    IReadOnlyDictionary<string, string> TagFilters,
    IReadOnlyList<string> InstanceNames,
    string DeploymentConfig,
    bool AutoRollback,
    bool IgnoreApplicationStopFailures,
    string? LastSuccessfulRevision)
{
    public static DeploymentGroupResponse From(DeploymentGroup g) => new(
        g.Id, g.ApplicationName, g.Name, g.TagFilters, g.InstanceNames, g.DeploymentConfig, g.AutoRollback, g.IgnoreApplicationStopFailures, g.LastSuccessfulRevision);
}
