namespace BuildFarm.Contracts.Events;

/// <summary>An attempt finished on its worker; its log is completely stored before this is published.</summary>
/// <param name="RunId">The run.</param>
/// <param name="JobId">The job.</param>
/// <param name="AttemptId">The attempt.</param>
/// <param name="Status">Succeeded, Failed or Cancelled.</param>
/// <param name="ExitCode">Exit code of the failing command; 0 on success.</param>
/// <param name="Reason">Why it failed or was cancelled.</param>
/// <param name="FinishedAt">Worker's clock at the end.</param>
/// <param name="Phases">
/// Every phase's outcome again, so the run becomes final with its whole phase history even when
/// this event overtakes the PhaseCompleted events (they travel on other queues).
/// </param>
/// <param name="Artifacts">The artifacts this attempt stored; null from workers that predate the field.</param>
/// <param name="ExportedVariables">
/// The buildspec's <c>env.exported-variables</c> with their values at the end of the build (set
/// ones only); null from workers that predate them.
/// </param>
/// <param name="Reports">The buildspec's JUnit report groups as the worker read them after the build; null when it has none.</param>
/// <param name="CacheOutcome">
/// How the dependency cache restore went: <c>Hit</c>, <c>FallbackHit</c> or <c>Miss</c> (a failed restore is a miss);
/// null when the job restored nothing (no cache section, no key, or <c>action: save</c>), or from workers that predate it.
/// </param>
public sealed record JobCompleted(
    Guid RunId,
    Guid JobId,
    Guid AttemptId,
    string Status,
    int? ExitCode,
    string? Reason,
    DateTimeOffset FinishedAt,
    IReadOnlyList<PhaseResult>? Phases = null,
    IReadOnlyList<ArtifactResult>? Artifacts = null,
    IReadOnlyDictionary<string, string>? ExportedVariables = null,
    IReadOnlyList<TestReportSummary>? Reports = null,
    string? CacheOutcome = null);
