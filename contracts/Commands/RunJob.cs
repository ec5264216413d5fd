namespace BuildFarm.Contracts.Commands;

/// <summary>Sent to workers: one attempt of a job is ready to be claimed and run.</summary>
/// <param name="RunId">The run the job belongs to.</param>
/// <param name="JobId">The job.</param>
/// <param name="AttemptId">The attempt a worker must claim; a redelivery names the same attempt, so it runs once.</param>
/// <param name="Attempt">1-based attempt number.</param>
/// <param name="BuildTimeoutSeconds">
/// The build timeout: past it the worker kills the job's process tree and fails it ("build timed
/// out"); null (from coordinators that predate it) means no limit.
/// </param>
/// <param name="QueuedTimeoutSeconds">The queued timeout the coordinator enforces for this attempt, for the record.</param>
public sealed record RunJob(Guid RunId, Guid JobId, Guid AttemptId, int Attempt, int? BuildTimeoutSeconds = null, int? QueuedTimeoutSeconds = null);
