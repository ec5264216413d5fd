using BuildFarm.Coordinator.Persistence.Entities;

namespace BuildFarm.Coordinator.Api.Models;

public sealed record DeploymentEventResponse(
    string Event, string Status, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, long HookMilliseconds, string? Message, int? ExitCode)
{
    public static DeploymentEventResponse From(DeploymentEventRecord e) =>
        new(e.Event, e.Status, e.StartedAt, e.FinishedAt, e.HookMilliseconds, e.Message, e.ExitCode);
}
