namespace BuildFarm.Contracts.Events;

/// <summary>A worker began running a claimed attempt.</summary>
/// <param name="RunId">The run.</param>
/// <param name="JobId">The job.</param>
/// <param name="AttemptId">The attempt the worker claimed.</param>
/// <param name="WorkerId">The worker running it.</param>
/// <param name="StartedAt">Worker's clock at start.</param>
public sealed record JobStarted(Guid RunId, Guid JobId, Guid AttemptId, string WorkerId, DateTimeOffset StartedAt);
