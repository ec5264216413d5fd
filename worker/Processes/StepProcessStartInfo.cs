namespace BuildFarm.Worker.Processes;

/// <summary>
/// What <see cref="StepProcess.Start(StepProcessStartInfo, IOutputSink)"/> runs and where.
/// </summary>
/// <param name="Script">The script text; it is written to a file and run as <c>Shell FILE</c>.</param>
/// <param name="WorkingDirectory">The child's initial directory; it must exist.</param>
/// <param name="Environment">
/// The child's COMPLETE environment. Nothing of the worker's own environment is inherited, so the
/// caller passes PATH, HOME, LANG and whatever else the step should see.
/// </param>
/// <param name="Shell">
/// The interpreter, resolved through the PATH in <paramref name="Environment"/> (or /bin:/usr/bin when
/// that has none).
/// </param>
public sealed record StepProcessStartInfo(
    string Script,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment,
    string Shell = "bash")
{
    /// <summary>
    /// Where the script file is written (mode 0600, deleted when the step ends).
    /// <see langword="null"/> means the system temp directory: never the workspace, whose
    /// contents belong to the build (a <c>git clean</c> or an artifact glob must not see it).
    /// </summary>
    public string? ScriptDirectory { get; init; }

    /// <summary>
    /// How long to wait, after the shell has exited, for stdout and stderr to reach end of file.
    /// A backgrounded process that still holds a pipe after that is killed with the rest of the
    /// group, so a forgotten <c>server &amp;</c> cannot hold the job open.
    /// </summary>
    public TimeSpan OutputDrainTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The account the shell runs as (setpriv(1) switches to it in place, so the shell keeps the
    /// process id that leads the group); <see langword="null"/> runs it as the worker's own user.
    /// The script file is handed to that account; the working directory must already be usable by it.
    /// </summary>
    public StepUser? User { get; init; }
}
