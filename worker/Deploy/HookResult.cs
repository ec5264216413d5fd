namespace BuildFarm.Worker.Deploy;

/// <summary>How one hook script ended.</summary>
/// <param name="ExitCode">The script's exit code; null when it could not be started.</param>
/// <param name="TimedOut">It ran past its timeout and its process tree was killed.</param>
/// <param name="Duration">Wall time inside the script.</param>
/// <param name="Message">Why it failed, in CodeDeploy's words where CodeDeploy has some; null on success.</param>
public sealed record HookResult(int? ExitCode, bool TimedOut, TimeSpan Duration, string? Message)
{
    public bool Succeeded => ExitCode == 0 && !TimedOut;
}
