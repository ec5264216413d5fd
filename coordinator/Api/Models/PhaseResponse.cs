using BuildFarm.Coordinator.Persistence.Entities;

namespace BuildFarm.Coordinator.Api.Models;

public sealed record PhaseResponse(string Name, string Status, int? ExitCode, DateTimeOffset StartedAt, DateTimeOffset FinishedAt)
{
    public static PhaseResponse From(Phase phase) => new(phase.Name, phase.Status.ToString(), phase.ExitCode, phase.StartedAt, phase.FinishedAt);
}
