using BuildFarm.Contracts.Events;
using BuildFarm.Core.Definitions;
using BuildFarm.Core.Definitions.Parsing;
using BuildFarm.Core.Logs;
using BuildFarm.Core.Runs;
using BuildFarm.Storage.Artifacts;
using BuildFarm.Worker.Artifacts;
using BuildFarm.Worker.Caching;
using BuildFarm.Worker.Coordinator;
using BuildFarm.Worker.Logs;
using BuildFarm.Worker.Options;
using BuildFarm.Worker.Processes;
using BuildFarm.Worker.Reports;
using MassTransit;
using Microsoft.Extensions.Options;

namespace BuildFarm.Worker.Jobs;

/// <summary>
/// Runs one claimed attempt: phases in CodeBuild order, each as a bash process in its own group,
/// its output shipped as bytes; reports each phase (a moment late, see <see cref="PhaseReports"/>) and the result on the bus. The result is
/// published only after the log is completely acknowledged, so a finished run has its whole log.
/// </summary>
public sealed partial class JobExecutor(
    WorkerGatewayClient gateway,
    IBus bus,
    ArtifactPublisher artifacts,
    Pipelines.PipelineActionRunner actions,
    JobCache cache,
    IOptions<LogOptions> logOptions,
    TimeProvider time,
    RunningJobs running,
    IOptions<WorkerOptions> options,
    ILogger<JobExecutor> logger)
{
    private static readonly TimeSpan LogDrainTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan PublishRetryLimit = TimeSpan.FromMinutes(15);

    public async Task RunAsync(ClaimedJob job, CancellationToken cancel)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object>
        {
            ["RunId"] = job.RunId,
            ["JobId"] = job.JobId,
            ["AttemptId"] = job.AttemptId,
            ["WorkerId"] = options.Value.Id,
        });
        // No start event: the claim recorded the start, and the coordinator announces RunStarted from its outbox.
        var startedAt = time.GetUtcNow();
        await using var shipper = new LogShipper(gateway, job.JobId, job.AttemptId, time, logger, logOptions.Value, job.LogSeqStart);
        using var log = new LogBatcher(shipper, time, logOptions.Value.MaxLogBytes, TimeSpan.FromMilliseconds(logOptions.Value.FlushMilliseconds));
        log.System($"Job {job.JobId} attempt {job.Attempt} of {job.Pipeline}@{job.PipelineVersion} on worker {options.Value.Id}");

        // The build timeout ends the job the way a cancel does (TERM to the process group, grace,
        // KILL), but the job fails, saying why, as CodeBuild's TIMED_OUT build does.
        using var timeout = job.BuildTimeout is { } limit ? new CancellationTokenSource(limit, time) : new CancellationTokenSource();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel, timeout.Token);
        await using var reports = new PhaseReports(PublishAsync, TimeSpan.FromMilliseconds(options.Value.PhaseReportDelayMilliseconds), time);
        var (status, exitCode, reason) = await ExecuteAsync(job, log, reports, startedAt, stop.Token);
        if (running.IsHandedBack(job.AttemptId))
        {
            await reports.CloseAsync(sendPending: true);
            // No result: the coordinator runs the job again as a new attempt, and this one's log says why it ended.
            log.System($"worker {options.Value.Id} is shutting down: attempt {job.Attempt} stopped and handed back to the coordinator");
            log.Flush();
            await shipper.CompleteAsync(LogDrainTimeout, CancellationToken.None);
            LogHandedBack(logger);
            return;
        }

        if (status == RunStatus.Cancelled && timeout.IsCancellationRequested && !cancel.IsCancellationRequested)
        {
            (status, reason) = (RunStatus.Failed, $"build timed out after {BuildTimeouts.Describe(job.BuildTimeout!.Value)}");
            log.System(reason);
        }

        log.System(exitCode is null or 0
            ? $"Job {status.ToString().ToUpperInvariant()}"
            : $"Job {status.ToString().ToUpperInvariant()} (exit code {exitCode}){(reason is null ? "" : $": {reason}")}");
        if (log.Truncated)
        {
            log.System($"log truncated: {log.DroppedBytes} of {log.OutputBytes} bytes of output were dropped");
        }

        log.Flush();
        if (!await shipper.CompleteAsync(LogDrainTimeout, CancellationToken.None))
        {
            LogShipTimedOut(logger, shipper.Acked);
        }

        await reports.CloseAsync(sendPending: false);
        await PublishAsync(new JobCompleted(
            job.RunId, job.JobId, job.AttemptId, status.ToString(), exitCode, reason, time.GetUtcNow(), job.PhaseResults, job.StoredArtifacts, job.ExportedVariables, job.Reports, job.CacheOutcome));
        LogFinished(logger, status, exitCode);
    }

    private async Task<(RunStatus Status, int? ExitCode, string? Reason)> ExecuteAsync(
        ClaimedJob job, LogBatcher log, PhaseReports reports, DateTimeOffset startedAt, CancellationToken cancel)
    {
        JobWorkspace workspace;
        try
        {
            workspace = JobWorkspace.Create(options.Value.WorkRoot, job.JobId, job.Attempt, options.Value.KeepWorkspaces);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            log.System($"Cannot create the workspace under {options.Value.WorkRoot}: {ex.Message}");
            return (RunStatus.Failed, null, $"cannot create the workspace: {ex.Message}");
        }

        if (job.MissingSecrets.Count > 0)
        {
            workspace.Dispose();
            var names = string.Join(", ", job.MissingSecrets);
            log.System($"Secrets not found in the farm's secret store: {names}");
            return (RunStatus.Failed, null, $"secrets not found: {names}");
        }

        using (workspace)
        {
            var (definition, fileName) = (job.Definition, job.FileName);
            IReadOnlyDictionary<string, string> actionEnvironment = new Dictionary<string, string>();
            if (job.Action is { } action)
            {
                // A pipeline action: a source action is done here; a build or test action brings its buildspec from its primary input.
                var prepared = await actions.PrepareAsync(job, action, workspace, log.System, cancel);
                if (prepared.Result is { } result)
                {
                    return result;
                }
                (definition, fileName, actionEnvironment) = (prepared.BuildSpec!, prepared.FileName!, prepared.Environment);
            }

            // A pipeline action and a batch member each run one build: their buildspec's batch section is not theirs to run.
            var parsed = BuildSpecParser.Parse(definition, fileName, readBatch: job.Action is null && job.Batch is null);
            if (parsed.HasErrors || parsed.Spec is null)
            {
                foreach (var diagnostic in parsed.Diagnostics)
                {
                    log.System(diagnostic.ToString());
                }

                return (RunStatus.Failed, null, "the definition is invalid");
            }

            var spec = parsed.Spec;
            if (job.Batch is { } member)
            {
                spec = BatchMember(member, spec, log);
            }
            else if (spec.BatchIgnored)
            {
                log.System($"batch: ignored: a pipeline action runs {fileName} as one build (batch builds run for stored buildspecs)");
            }
            if (job.Action?.OutputArtifacts.FirstOrDefault() is { } output)
            {
                if (spec.Artifacts is null)
                {
                    return (RunStatus.Failed, null, $"the action declares output artifact '{output}' but {fileName} has no artifacts section");
                }
                // The buildspec's primary artifact is the action's output, stored under the pipeline's artifact name.
                spec = spec with { Artifacts = spec.Artifacts with { Name = output } };
            }
            var env = JobEnvironment.Build(job, spec, workspace, startedAt);
            foreach (var (name, value) in actionEnvironment)
            {
                env[name] = value;
            }
            HashFilesCommand.Install(Path.Combine(workspace.Root, "tools"), env);
            return await RunPhasesAsync(job, spec, workspace, env, log, reports, cancel);
        }
    }

    /// <summary>
    /// Says which member of the batch this is and what it overrides, and names its artifacts after it (so members do not
    /// overwrite each other's zips); image, compute type and the like are recorded, not applied.
    /// </summary>
    private static BuildSpec BatchMember(BatchMemberJob member, BuildSpec spec, LogBatcher log)
    {
        log.System($"Batch build {member.Identifier} ({member.Kind}){(member.InlineBuildSpec ? ", its own inline buildspec" : "")}");
        if (member.Variables.Count > 0)
        {
            log.System($"batch build variables: {string.Join(", ", member.Variables.Keys.Order(StringComparer.Ordinal))}");
        }
        if (member.Environment.Count > 0)
        {
            log.System($"batch build env not applied here (every build runs on the worker's own host): {string.Join(", ", member.Environment.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}={e.Value}"))}");
        }
        if (spec.BatchIgnored)
        {
            log.System("batch: ignored inside a member build");
        }
        if (spec.Artifacts is not { } artifacts)
        {
            return spec;
        }
        return spec with
        {
            Artifacts = artifacts with
            {
                Name = member.ArtifactName(artifacts.Name),
                SecondaryArtifacts = artifacts.SecondaryArtifacts.ToDictionary(s => member.ArtifactName(s.Key), s => s.Value, StringComparer.Ordinal),
            },
        };
    }

    private async Task<(RunStatus Status, int? ExitCode, string? Reason)> RunPhasesAsync(
        ClaimedJob job, BuildSpec spec, JobWorkspace workspace, Dictionary<string, string> env, LogBatcher log, PhaseReports reports, CancellationToken cancel)
    {
        var phases = spec.Phases.ToDictionary(p => p.Name, StringComparer.Ordinal);
        // Steps' output is masked before it is batched, so no secret value reaches the wire or the store.
        var masking = new MaskingSink(log, SecretPatterns.Create(job.SecretVariables.Values));
        var output = new OutputTail(masking);
        int? failedExit = null;
        string? failedPhase = null;
        var stopAll = false;
        var onlyPostBuild = false;
        string? failedReason = null;
        var commands = new PhaseCommands(spec.Version, workspace, TimeSpan.FromSeconds(options.Value.CancelGraceSeconds), time);
        var accounts = new RunAsAccounts(workspace);
        // Before install, as CodeBuild restores before its first phase; never fails the job.
        var cached = spec.Cache is { } cacheSpec && !cancel.IsCancellationRequested
            ? await cache.RestoreAsync(job, cacheSpec, workspace, env, log.System, cancel)
            : null;
        foreach (var name in BuildSpec.PhaseOrder)
        {
            if (!phases.TryGetValue(name, out var phase))
            {
                continue;
            }

            var phaseStart = time.GetUtcNow();
            if (cancel.IsCancellationRequested || stopAll || (onlyPostBuild && name != "post_build"))
            {
                ReportPhase(job, reports, name, cancel.IsCancellationRequested ? PhaseStatus.Cancelled : PhaseStatus.Skipped, null, phaseStart);
                continue;
            }

            var policy = OnFailurePolicy.Parse(phase.OnFailure);
            log.System($"Entering phase {name.ToUpperInvariant()}");
            env["CODEBUILD_BUILD_SUCCEEDING"] = env["BUILDFARM_BUILD_SUCCEEDING"] = failedPhase is null ? "1" : "0";
            WarnAboutRuntimes(phase, log);
            var runAs = phase.RunAs ?? spec.RunAs;
            var (user, problem) = runAs is null ? (null, null) : await accounts.PrepareAsync(runAs, options.Value.Id, cancel);
            int exit;
            string? reason = null;
            if (problem is not null)
            {
                reason = $"phase {name} failed: {problem}";
                log.System($"Phase {name.ToUpperInvariant()}: {problem}; no command ran");
                exit = 1;
            }
            else
            {
                if (user is null)
                {
                    accounts.WorkerUserRan();
                }
                else
                {
                    log.System($"Running phase {name.ToUpperInvariant()} as user {user.Name} (uid {user.Uid})");
                }

                exit = await RunPhaseOnceAsync(phase, commands, env, user, output, masking, cancel);
                for (var retries = 0; exit != 0 && !cancel.IsCancellationRequested && policy.ShouldRetry(retries, output.TakeText());)
                {
                    retries++;
                    log.System($"Phase {name.ToUpperInvariant()} failed (exit code {exit}); on-failure {phase.OnFailure}: retry {retries} of {policy.MaxRetries}");
                    exit = await RunPhaseOnceAsync(phase, commands, env, user, output, masking, cancel);
                }
            }

            output.TakeText();
            var status = cancel.IsCancellationRequested ? PhaseStatus.Cancelled
                : exit == 0 ? PhaseStatus.Succeeded
                : PhaseStatus.Failed;
            log.System($"Phase complete: {name.ToUpperInvariant()} State: {status.ToString().ToUpperInvariant()}{(exit == 0 ? "" : $" (exit code {exit})")}");
            ReportPhase(job, reports, name, status, exit, phaseStart);
            if (status != PhaseStatus.Failed)
            {
                continue;
            }

            if (failedPhase is null)
            {
                failedPhase = name;
                failedExit = exit;
                failedReason = reason;
            }

            // CodeBuild: CONTINUE goes on as if nothing failed (the build still fails); ABORT stops
            // everything; by default a failed install or pre_build skips the rest, and post_build
            // still runs after a failed build.
            switch (policy.Action)
            {
                case OnFailureAction.Continue:
                    break;
                case OnFailureAction.Abort:
                    stopAll = true;
                    break;
                default:
                    stopAll = name is "install" or "pre_build";
                    onlyPostBuild = name == "build";
                    break;
            }
        }

        if (spec.Env.ExportedVariables.Count > 0 && !cancel.IsCancellationRequested)
        {
            await CollectExportedVariablesAsync(job, spec, commands, env, masking, log, cancel);
        }

        // As CodeBuild, also after a failed build: failed tests are what a report is for.
        if (spec.Reports.Count > 0 && !cancel.IsCancellationRequested)
        {
            job.Reports.AddRange(await TestReportCollector.CollectAsync(spec.Reports, workspace.Source, log.System, cancel));
        }

        if (cached is not null && failedPhase is null && !cancel.IsCancellationRequested)
        {
            await cache.SaveAsync(job, cached, workspace, env, log.System, cancel);
        }

        // CodeBuild attempts UPLOAD_ARTIFACTS even after a failed build (post_build ran); a failed
        // install or pre_build goes straight to FINALIZING.
        if (spec.Artifacts is { } declared && !cancel.IsCancellationRequested && failedPhase is not ("install" or "pre_build"))
        {
            log.System("Entering phase UPLOAD_ARTIFACTS");
            try
            {
                // The temp dir is outside src, so a `**/*` pattern can never pick up the zip itself.
                var published = await artifacts.PublishAsync(
                    job.Pipeline, job.RunId, declared, workspace.Source, Path.Combine(workspace.Root, "artifacts-tmp"), log.System, cancel);
                job.StoredArtifacts.AddRange(published.Stored.Select(a => new ArtifactResult(ArtifactKey.NameOf(a.Key), a.Key, a.Length, a.Sha256)));
                log.System($"Phase complete: UPLOAD_ARTIFACTS State: {(published.Succeeded ? "SUCCEEDED" : "FAILED")}");
                if (!published.Succeeded && failedPhase is null)
                {
                    return (RunStatus.Failed, null, published.Error);
                }
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                // Cancelled while uploading: the result below says Cancelled.
            }
        }

        if (cancel.IsCancellationRequested)
        {
            return (RunStatus.Cancelled, null, "cancelled");
        }

        return failedPhase is null
            ? (RunStatus.Succeeded, 0, null)
            : (RunStatus.Failed, failedExit, failedReason ?? $"phase {failedPhase} failed with exit code {failedExit}");
    }

    /// <summary>The phase's commands, then its finally block (which runs even after a failed command); the phase fails if either did.</summary>
    private static async Task<int> RunPhaseOnceAsync(
        BuildPhase phase, PhaseCommands commands, Dictionary<string, string> env, StepUser? user, IOutputSink output, MaskingSink masking, CancellationToken cancel)
    {
        var exit = await commands.RunAsync(phase.Commands, env, user, output, cancel);
        if (phase.Finally.Count > 0)
        {
            var finallyExit = await commands.RunAsync(phase.Finally, env, user, output, cancel);
            exit = exit != 0 ? exit : finallyExit;
        }

        // The masker holds back what could be the start of a secret; the step is over, so let it go.
        await masking.FlushAsync(CancellationToken.None);
        return exit;
    }

    /// <summary>
    /// CodeBuild fixes exported variables when post_build ends: read them from the environment the
    /// build left, as the worker's user (it reads every state file), never into the log.
    /// </summary>
    private static async Task CollectExportedVariablesAsync(
        ClaimedJob job, BuildSpec spec, PhaseCommands commands, Dictionary<string, string> env, MaskingSink masking, LogBatcher log, CancellationToken cancel)
    {
        var capture = new CapturingSink(masking, ExportedVariables.MaxCaptureBytes);
        var script = commands.BuildEndOfBuildScript(ExportedVariables.Command(spec.Env.ExportedVariables));
        var exit = await commands.RunScriptAsync(script, env, null, capture, cancel);
        await masking.FlushAsync(CancellationToken.None);
        if (exit != 0 || capture.Overflowed)
        {
            log.System($"exported-variables: could not read the values (exit code {exit}{(capture.Overflowed ? ", more than 1 MiB" : "")}); none recorded");
            return;
        }

        var secrets = job.SecretVariables.Values.Where(v => v.Length > 0).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, value) in ExportedVariables.Parse(capture.Stdout))
        {
            // A secret never leaves the job as an exported value: the run's details are not masked.
            job.ExportedVariables[name] = secrets.Any(secret => value.Contains(secret, StringComparison.Ordinal)) ? "***" : value;
        }

        log.System($"exported-variables: {string.Join(", ", spec.Env.ExportedVariables.Select(n => job.ExportedVariables.ContainsKey(n) ? n : $"{n} (not set)"))}");
    }

    private void WarnAboutRuntimes(BuildPhase phase, LogBatcher log)
    {
        if (phase.RuntimeVersions.Count == 0)
        {
            return;
        }

        var missing = RuntimeVersions.Missing(phase.RuntimeVersions, options.Value.Labels);
        if (missing.Count > 0)
        {
            log.System(RuntimeVersions.SkippingWarning);
            log.System($"runtime-versions not advertised by worker {options.Value.Id} (Worker:Labels): {string.Join(", ", missing)}");
        }
        else
        {
            log.System($"runtime-versions provided by worker {options.Value.Id}: {string.Join(", ", phase.RuntimeVersions.Select(r => $"{r.Key}: {r.Value}"))}");
        }
    }

    private void ReportPhase(ClaimedJob job, PhaseReports reports, string phase, PhaseStatus status, int? exitCode, DateTimeOffset startedAt)
    {
        var finishedAt = time.GetUtcNow();
        job.PhaseResults.Add(new PhaseResult(phase, status.ToString(), exitCode, startedAt, finishedAt));
        reports.Add(new PhaseCompleted(job.RunId, job.JobId, job.AttemptId, phase, status.ToString(), exitCode, startedAt, finishedAt));
    }

    /// <summary>
    /// Publishes a result, retrying while the broker is away (bounded): the attempt stays registered
    /// meanwhile, so its heartbeats keep the lease and the job is not retried elsewhere while its
    /// result waits to be delivered. Receivers deduplicate, so a retry that did get through is harmless.
    /// </summary>
    private async Task PublishAsync<T>(T message)
        where T : class
    {
        var deadline = time.GetUtcNow() + PublishRetryLimit;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await bus.Publish(message, CancellationToken.None);
                return;
            }
            catch (Exception ex) when (time.GetUtcNow() < deadline)
            {
                LogPublishRetry(logger, ex, typeof(T).Name, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 200 * attempt)), time);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Attempt handed back to the coordinator on shutdown")]
    private static partial void LogHandedBack(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing {Message} failed (try {Attempt}); retrying until the broker is back")]
    private static partial void LogPublishRetry(ILogger logger, Exception exception, string message, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job finished {Status} (exit code {ExitCode})")]
    private static partial void LogFinished(ILogger logger, RunStatus status, int? exitCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The log was not completely acknowledged in time (acked up to {Acked}); reporting the result anyway")]
    private static partial void LogShipTimedOut(ILogger logger, long acked);
}
