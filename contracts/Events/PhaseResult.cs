namespace BuildFarm.Contracts.Events;

/// <summary>One phase's outcome, as carried on <see cref="JobCompleted"/>.</summary>
/// <param name="Phase">Phase name as written in the buildspec.</param>
/// <param name="Status">Succeeded, Failed, Skipped or Cancelled.</param>
/// <param name="ExitCode">Exit code of the failing command, 0 on success, null when nothing ran.</param>
/// <param name="StartedAt">When the phase started.</param>
/// <param name="FinishedAt">When the phase ended.</param>
public sealed record PhaseResult(string Phase, string Status, int? ExitCode, DateTimeOffset StartedAt, DateTimeOffset FinishedAt);
