namespace BuildFarm.Coordinator.Persistence.Entities;

/// <summary>One lifecycle event on one instance, stored as JSON with its instance.</summary>
public sealed record DeploymentEventRecord(
    string Event,
    string Status,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    long HookMilliseconds,
    string? Message,
    int? ExitCode);
