using BuildFarm.Core.Runs;

namespace BuildFarm.Coordinator.Persistence.Entities;

/// <summary>One phase result of one attempt; unique by (job, attempt, name) so a redelivered event is a no-op.</summary>
public sealed class Phase
{
    public long Id { get; set; }
    public Guid JobId { get; set; }
    public Guid AttemptId { get; set; }
    public required string Name { get; set; }
    public PhaseStatus Status { get; set; }
    public int? ExitCode { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset FinishedAt { get; set; }
}
