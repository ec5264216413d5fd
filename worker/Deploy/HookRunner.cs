using System.Globalization;
using BuildFarm.Core.Definitions;
using BuildFarm.Worker.Logs;
using BuildFarm.Worker.Processes;

namespace BuildFarm.Worker.Deploy;

/// <summary>
/// Runs one appspec hook script through <see cref="StepProcess"/> (its own process group), with CodeDeploy's
/// environment variables, as <c>runas</c> via <c>runuser</c>, and kills the whole tree when it overruns its timeout.
/// </summary>
public sealed class HookRunner(TimeProvider time, TimeSpan killGrace, HostPaths paths)
{
    private const UnixFileMode ExecuteBits = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    public async Task<HookResult> RunAsync(
        AppSpecHook hook, string archive, string lifecycleEvent, DeploymentRequest request, LogBatcher log, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The deploy agent runs on Linux.");
        }
        var script = Path.Combine(archive, hook.Location.TrimStart('/'));
        if (!File.Exists(script))
        {
            return new HookResult(null, false, TimeSpan.Zero, $"Script does not exist at specified location: {script}");
        }
        var mode = File.GetUnixFileMode(script);
        if ((mode & UnixFileMode.UserExecute) == 0)
        {
            // CodeDeploy's agent does the same: bundles built on Windows or zipped carelessly lose the bit.
            log.System($"Script at specified location: {hook.Location} is not executable. Trying to make it executable.");
            File.SetUnixFileMode(script, mode | ExecuteBits);
        }

        var command = hook.RunAs is null
            ? $"exec {Quote(script)}\n"
            : $"exec runuser -u {Quote(hook.RunAs)} -- {Quote(script)}\n";
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            ["LANG"] = Environment.GetEnvironmentVariable("LANG") ?? "C.UTF-8",
            ["HOME"] = Environment.GetEnvironmentVariable("HOME") ?? "/root",
            ["APPLICATION_NAME"] = request.ApplicationName,
            ["DEPLOYMENT_ID"] = request.DeploymentId.ToString(),
            ["DEPLOYMENT_GROUP_NAME"] = request.DeploymentGroupName,
            ["DEPLOYMENT_GROUP_ID"] = request.DeploymentGroupId.ToString(),
            ["LIFECYCLE_EVENT"] = lifecycleEvent,
            // Not CodeDeploy's: where this agent maps "/" (empty on a real server), so scripts of several
            // agents sharing one machine find their own installed files.
            ["BUILDFARM_ROOT"] = paths.Root,
        };
        log.System(hook.RunAs is null
            ? $"{lifecycleEvent}: running {hook.Location} (timeout {hook.TimeoutSeconds} s)"
            : $"{lifecycleEvent}: running {hook.Location} as {hook.RunAs} (timeout {hook.TimeoutSeconds} s)");

        var started = time.GetTimestamp();
        await using var process = StepProcess.Start(new StepProcessStartInfo(command, archive, environment), log, time);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(hook.TimeoutSeconds), time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        var terminating = Task.CompletedTask;
        int exit;
        await using (stop.Token.Register(() => terminating = process.TerminateAsync(killGrace, CancellationToken.None)))
        {
            exit = await process.WaitForExitAsync(CancellationToken.None);
            await terminating;
        }
        var duration = time.GetElapsedTime(started);
        if (timeout.IsCancellationRequested)
        {
            return new HookResult(exit, true, duration, string.Create(CultureInfo.InvariantCulture,
                $"Script at specified location: {hook.Location} failed to complete in {hook.TimeoutSeconds} seconds; its process tree was killed."));
        }
        if (cancellationToken.IsCancellationRequested)
        {
            return new HookResult(exit, false, duration, $"Script at specified location: {hook.Location} was stopped: the deployment was stopped.");
        }
        return exit == 0
            ? new HookResult(0, false, duration, null)
            : new HookResult(exit, false, duration, string.Create(CultureInfo.InvariantCulture,
                $"Script at specified location: {hook.Location}{(hook.RunAs is null ? "" : $" run as user {hook.RunAs}")} failed with exit code {exit}"));
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
