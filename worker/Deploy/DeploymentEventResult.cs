namespace BuildFarm.Worker.Deploy;

/// <summary>What one lifecycle event did on this instance.</summary>
/// <param name="Event">The lifecycle event's name.</param>
/// <param name="Status">Succeeded, Failed or Skipped.</param>
/// <param name="StartedAt">When the event began.</param>
/// <param name="FinishedAt">When it ended.</param>
/// <param name="HookTime">Time spent inside hook scripts (the rest is the agent's own work).</param>
/// <param name="Message">Why it failed or was skipped; null when it simply succeeded.</param>
/// <param name="ExitCode">The failing script's exit code, when a script failed.</param>
public sealed record DeploymentEventResult(
    string Event,
    DeploymentEventStatus Status,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    TimeSpan HookTime,
    string? Message = null,
    int? ExitCode = null);
