namespace BuildFarm.Contracts.Events;

/// <summary>One buildspec phase of an attempt finished (or was skipped).</summary>
/// <param name="RunId">The run.</param>
/// <param name="JobId">The job.</param>
/// <param name="AttemptId">The attempt.</param>
/// <param name="Phase">Phase name as written in the buildspec, e.g. <c>pre_build</c>.</param>
/// <param name="Status">Succeeded, Failed, Skipped or Cancelled.</param>
/// <param name="ExitCode">Exit code of the failing command, 0 on success, null when nothing ran.</param>
/// <param name="StartedAt">When the phase started.</param>
/// <param name="FinishedAt">When the phase ended.</param>
public sealed record PhaseCompleted(
    Guid RunId,
    Guid JobId,
    Guid AttemptId,
    string Phase,
    string Status,
    int? ExitCode,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt);
