using BuildFarm.Coordinator.Persistence.Entities;
using BuildFarm.Core.Definitions;

namespace BuildFarm.Coordinator.Api.Models;

public sealed record DeploymentInstanceResponse(
    Guid Id,
    string Instance,
    string Status,
    DateTimeOffset? DispatchedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Message,
    string LogUrl,
    IReadOnlyList<DeploymentEventResponse> Events)
{
    public static DeploymentInstanceResponse From(DeploymentInstance i) => new(
        i.Id,
        i.InstanceName,
        i.Status.ToString(),
        i.DispatchedAt,
        i.StartedAt,
        i.FinishedAt,
        i.Message,
        $"/api/deployments/{i.DeploymentId}/instances/{i.Id}/log",
        // Lifecycle order, whatever order the agent's reports arrived in.
        i.Events.OrderBy(e => AppSpecLifecycle.Events.ToList().IndexOf(e.Event)).Select(DeploymentEventResponse.From).ToList());
}
