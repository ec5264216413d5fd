using System.IO.Compression;
using BuildFarm.Core.Definitions;
using BuildFarm.Core.Definitions.Parsing;
using BuildFarm.Worker.Logs;

namespace BuildFarm.Worker.Deploy;

/// <summary>
/// Runs one deployment on this host in CodeDeploy's in-place order: ApplicationStop (the previous successful
/// revision's scripts; skipped on a first deployment), DownloadBundle, BeforeInstall, Install, AfterInstall,
/// ApplicationStart, ValidateService. The first failure skips the rest. Everything the scripts print and
/// every step the agent takes goes to <see cref="LogBatcher"/>, the same log path builds use.
/// </summary>
public sealed class DeploymentExecutor(HostPaths paths, AgentState state, IRevisionSource revisions, TimeProvider time, TimeSpan killGrace)
{
    /// <summary>The OS this agent deploys for; a Windows appspec is refused here.</summary>
    public const string HostOs = "linux";

    private readonly HookRunner _hooks = new(time, killGrace, paths);
    private readonly RevisionInstaller _installer = new(paths);
    private readonly PermissionApplier _permissions = new(paths);

    public async Task<DeploymentOutcome> RunAsync(DeploymentRequest request, IDeploymentProgress progress, LogBatcher log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var results = new List<DeploymentEventResult>();
        var run = new DeploymentRun(request, log);
        try
        {
            foreach (var lifecycleEvent in AppSpecLifecycle.Events)
            {
                var failed = results.Any(r => r.Status == DeploymentEventStatus.Failed);
                if (failed || cancellationToken.IsCancellationRequested)
                {
                    var now = time.GetUtcNow();
                    results.Add(new DeploymentEventResult(lifecycleEvent, DeploymentEventStatus.Skipped, now, now, TimeSpan.Zero,
                        failed ? "an earlier event failed" : "the deployment was stopped"));
                    await progress.EventFinishedAsync(results[^1], CancellationToken.None);
                    continue;
                }

                var startedAt = time.GetUtcNow();
                state.MarkOngoing(new OngoingDeployment(request.DeploymentId, request.InstanceDeploymentId, request.DeploymentGroupId, lifecycleEvent));
                await progress.EventStartedAsync(lifecycleEvent, startedAt, CancellationToken.None);
                var (status, hookTime, message, exitCode) = await RunEventAsync(lifecycleEvent, run, cancellationToken);
                var result = new DeploymentEventResult(lifecycleEvent, status, startedAt, time.GetUtcNow(), hookTime, message, exitCode);
                log.System($"{lifecycleEvent}: {status}{(message is null ? "" : $": {message}")}");
                results.Add(result);
                await progress.EventFinishedAsync(result, CancellationToken.None);
            }

            var succeeded = results.All(r => r.Status != DeploymentEventStatus.Failed) && !cancellationToken.IsCancellationRequested;
            if (succeeded)
            {
                state.MarkSucceeded(request.DeploymentGroupId, request.DeploymentId);
            }
            return new DeploymentOutcome(succeeded, results);
        }
        finally
        {
            state.ClearOngoing();
        }
    }

    private async Task<(DeploymentEventStatus, TimeSpan, string?, int?)> RunEventAsync(string lifecycleEvent, DeploymentRun run, CancellationToken cancellationToken)
    {
        try
        {
            switch (lifecycleEvent)
            {
                case AppSpecLifecycle.ApplicationStop:
                    return await ApplicationStopAsync(run, cancellationToken);
                case AppSpecLifecycle.DownloadBundle:
                    await DownloadBundleAsync(run, cancellationToken);
                    return (DeploymentEventStatus.Succeeded, TimeSpan.Zero, null, null);
                case AppSpecLifecycle.Install:
                    return await InstallAsync(run, cancellationToken);
                default:
                    return await RunHooksAsync(run.Spec!, run.Archive!, lifecycleEvent, run, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is InstallFailedException or IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException)
        {
            return (DeploymentEventStatus.Failed, TimeSpan.Zero, ex.Message, null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (DeploymentEventStatus.Failed, TimeSpan.Zero, $"{lifecycleEvent} was interrupted: the deployment was stopped.", null);
        }
    }

    private async Task<(DeploymentEventStatus, TimeSpan, string?, int?)> ApplicationStopAsync(DeploymentRun run, CancellationToken cancellationToken)
    {
        var previous = state.LastSuccessfulArchive(run.Request.DeploymentGroupId);
        if (previous is null)
        {
            return (DeploymentEventStatus.Skipped, TimeSpan.Zero, "no earlier successful revision on this instance (first deployment)", null);
        }
        var appSpecFile = FindAppSpec(previous);
        if (appSpecFile is null)
        {
            return (DeploymentEventStatus.Skipped, TimeSpan.Zero, "the previous revision has no appspec.yml", null);
        }
        var previousSpec = AppSpecParser.Parse(await File.ReadAllTextAsync(appSpecFile, cancellationToken), Path.GetFileName(appSpecFile)).Spec;
        if (previousSpec is null)
        {
            return (DeploymentEventStatus.Skipped, TimeSpan.Zero, "the previous revision's appspec no longer parses", null);
        }
        run.Log.System($"ApplicationStop: using the previous successful revision at {paths.Unmap(previous)}");
        var result = await RunHooksAsync(previousSpec, previous, AppSpecLifecycle.ApplicationStop, run, cancellationToken);
        if (result.Item1 == DeploymentEventStatus.Failed && run.Request.IgnoreApplicationStopFailures)
        {
            return (DeploymentEventStatus.Succeeded, result.Item2, $"{result.Item3} (ignored: ignoreApplicationStopFailures)", result.Item4);
        }
        return result;
    }

    private async Task DownloadBundleAsync(DeploymentRun run, CancellationToken cancellationToken)
    {
        var request = run.Request;
        var directory = state.DeploymentDirectory(request.DeploymentGroupId, request.DeploymentId);
        var archive = state.ArchiveDirectory(request.DeploymentGroupId, request.DeploymentId);
        if (Directory.Exists(directory))
        {
            // A redelivered or retried deployment starts from a clean copy of its bundle.
            Directory.Delete(directory, recursive: true);
        }
        Directory.CreateDirectory(archive);
        string bundle;
        try
        {
            bundle = await revisions.FetchAsync(request.Revision, directory, cancellationToken);
        }
        catch (FileNotFoundException ex)
        {
            throw new InstallFailedException($"The revision '{request.Revision}' was not found: {ex.Message}");
        }
        await Task.Run(() => ZipFile.ExtractToDirectory(bundle, archive), cancellationToken);
        if (bundle.StartsWith(directory, StringComparison.Ordinal))
        {
            File.Delete(bundle);
        }
        var appSpecFile = FindAppSpec(archive)
            ?? throw new InstallFailedException("The revision has no appspec.yml at its root; CodeDeploy revisions carry it there.");
        var parsed = AppSpecParser.Parse(await File.ReadAllTextAsync(appSpecFile, cancellationToken), Path.GetFileName(appSpecFile));
        foreach (var diagnostic in parsed.Diagnostics)
        {
            run.Log.System(diagnostic.ToString());
        }
        if (parsed.Spec is null)
        {
            throw new InstallFailedException(parsed.Diagnostics.First(d => d.Severity == DefinitionSeverity.Error).ToString());
        }
        if (parsed.Spec.RefusalOn(HostOs) is { } refusal)
        {
            throw new InstallFailedException(refusal);
        }
        run.Spec = parsed.Spec;
        run.Archive = archive;
    }

    private async Task<(DeploymentEventStatus, TimeSpan, string?, int?)> InstallAsync(DeploymentRun run, CancellationToken cancellationToken)
    {
        var groupId = run.Request.DeploymentGroupId;
        var spec = run.Spec!;
        var behavior = run.Request.FileExistsBehaviorOverride ?? spec.FileExistsBehavior;
        var previous = state.ReadInstalled(groupId);
        if (previous.Files.Count > 0)
        {
            run.Log.System($"Install: removing {previous.Files.Count} file(s) the previous revision installed");
        }
        var install = _installer.Install(spec, run.Archive!, behavior, previous);
        state.WriteInstalled(groupId, install.Installed);
        var changed = await _permissions.ApplyAsync(spec.Permissions, install, cancellationToken);
        run.Log.System($"Install: copied {install.Installed.Files.Count} file(s) (file_exists_behavior {behavior.ToString().ToUpperInvariant()}"
            + $"{(install.RetainedFiles > 0 ? $", {install.RetainedFiles} retained" : "")}), set permissions on {changed} path(s)");
        return (DeploymentEventStatus.Succeeded, TimeSpan.Zero, null, null);
    }

    private async Task<(DeploymentEventStatus, TimeSpan, string?, int?)> RunHooksAsync(
        AppSpec spec, string archive, string lifecycleEvent, DeploymentRun run, CancellationToken cancellationToken)
    {
        var hookTime = TimeSpan.Zero;
        foreach (var hook in spec.HooksFor(lifecycleEvent))
        {
            var result = await _hooks.RunAsync(hook, archive, lifecycleEvent, run.Request, run.Log, cancellationToken);
            hookTime += result.Duration;
            if (!result.Succeeded)
            {
                return (DeploymentEventStatus.Failed, hookTime, result.Message, result.ExitCode);
            }
        }
        return (DeploymentEventStatus.Succeeded, hookTime, null, null);
    }

    private static string? FindAppSpec(string archive) =>
        new[] { "appspec.yml", "appspec.yaml" }.Select(n => Path.Combine(archive, n)).FirstOrDefault(File.Exists);

    /// <summary>What the events of one deployment share: the request, its log, and the revision once downloaded.</summary>
    private sealed class DeploymentRun(DeploymentRequest request, LogBatcher log)
    {
        public DeploymentRequest Request { get; } = request;

        public LogBatcher Log { get; } = log;

        public AppSpec? Spec { get; set; }

        public string? Archive { get; set; }
    }
}
