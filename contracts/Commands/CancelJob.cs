namespace BuildFarm.Contracts.Commands;

/// <summary>Published to every worker: stop this attempt if it runs here (TERM, grace period, KILL).</summary>
/// <param name="RunId">The run being cancelled.</param>
/// <param name="JobId">The job.</param>
/// <param name="AttemptId">The attempt to stop.</param>
public sealed record CancelJob(Guid RunId, Guid JobId, Guid AttemptId);
