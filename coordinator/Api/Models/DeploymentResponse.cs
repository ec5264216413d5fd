using BuildFarm.Coordinator.Persistence.Entities;

namespace BuildFarm.Coordinator.Api.Models;

public sealed record DeploymentResponse(
    Guid Id,
    string Application,
    string Group,
    string Revision,
    string DeploymentConfig,
    string Status,
    string? Reason,
    bool IsRollback,
    Guid? RollbackOf,
    Guid? RolledBackBy,
    bool IgnoreApplicationStopFailures,
    string? FileExistsBehavior,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyList<DeploymentInstanceResponse> Instances)
{
    public static DeploymentResponse From(Deployment d) => new(
        d.Id,
        d.ApplicationName,
        d.GroupName,
        d.Revision,
        d.DeploymentConfig,
        d.Status.ToString(),
        d.Reason,
        d.IsRollback,
        d.RollbackOfId,
        d.RollbackDeploymentId,
        d.IgnoreApplicationStopFailures,
        d.FileExistsBehavior,
        d.CreatedAt,
        d.FinishedAt,
        d.Instances.OrderBy(i => i.Ordinal).Select(DeploymentInstanceResponse.From).ToList());
}
