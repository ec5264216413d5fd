using BuildFarm.Worker.Processes;

namespace BuildFarm.Worker.Jobs;

/// <summary>
/// Runs a list of buildspec commands as CodeBuild's version says: 0.2 runs a phase's commands in one
/// shell whose cd/export carry into the next phase (<see cref="PhaseScript"/>); 0.1 runs every
/// command in its own shell (<see cref="SingleCommandScript"/>). Both stop at the first failing command.
/// </summary>
public sealed class PhaseCommands(string version, JobWorkspace workspace, TimeSpan cancelGrace, TimeProvider time)
{
    // Set fresh for every phase; the state carried between phases must not bring back an old value.
    private static readonly string[] PhaseVariables = ["CODEBUILD_BUILD_SUCCEEDING", "BUILDFARM_BUILD_SUCCEEDING"];

    /// <summary>True for buildspec 0.1, where no command's shell state reaches the next one.</summary>
    public bool ShellPerCommand { get; } = version == "0.1";

    /// <returns>The first non-zero exit status, or 0 when every command succeeded.</returns>
    public async Task<int> RunAsync(
        IReadOnlyList<string> commands, IReadOnlyDictionary<string, string> env, StepUser? user, IOutputSink output, CancellationToken cancel)
    {
        if (commands.Count == 0 || cancel.IsCancellationRequested)
        {
            return 0;
        }

        if (!ShellPerCommand)
        {
            return await RunScriptAsync(PhaseScript.Build(commands, workspace.State, PhaseVariables), env, user, output, cancel);
        }

        foreach (var command in commands)
        {
            var exit = await RunScriptAsync(SingleCommandScript.Build(command), env, user, output, cancel);
            if (exit != 0 || cancel.IsCancellationRequested)
            {
                return exit;
            }
        }

        return 0;
    }

    /// <summary>One shell on <paramref name="script"/>, in the source directory, killed as a group on cancel.</summary>
    public async Task<int> RunScriptAsync(
        string script, IReadOnlyDictionary<string, string> env, StepUser? user, IOutputSink output, CancellationToken cancel)
    {
        await using var process = StepProcess.Start(
            new StepProcessStartInfo(script, workspace.Source, new Dictionary<string, string>(env))
            {
                ScriptDirectory = workspace.State,
                User = user,
            },
            output,
            time);
        var terminating = Task.CompletedTask;
        await using (cancel.Register(() => terminating = process.TerminateAsync(cancelGrace, CancellationToken.None)))
        {
            var exit = await process.WaitForExitAsync(CancellationToken.None);
            await terminating;
            return exit;
        }
    }

    /// <summary>
    /// A script that sees the environment as the build left it (after post_build): for 0.2 the
    /// state the last phase saved, for 0.1 the job's own environment.
    /// </summary>
    public string BuildEndOfBuildScript(string command) =>
        ShellPerCommand ? SingleCommandScript.Build(command) : PhaseScript.Build([command], workspace.State, PhaseVariables);
}
