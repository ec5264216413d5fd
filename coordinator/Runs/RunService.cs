using BuildFarm.Contracts.Commands;
using BuildFarm.Contracts.Events;
using BuildFarm.Coordinator.Errors;
using BuildFarm.Coordinator.Messaging.Outbox;
using BuildFarm.Coordinator.Options;
using BuildFarm.Coordinator.Persistence;
using BuildFarm.Coordinator.Persistence.Entities;
using BuildFarm.Coordinator.Runs.Batches;
using BuildFarm.Coordinator.Runs.Pipelines;
using BuildFarm.Coordinator.Runs.Scheduling;
using BuildFarm.Core.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BuildFarm.Coordinator.Runs;

/// <summary>Trigger, read and cancel runs. Every entry point calls this one class.</summary>
public sealed class RunService(
    BuildFarmDbContext db,
    OutboxWriter outbox,
    OutboxSignal signal,
    RunCompletion completion,
    PipelineAdvancer advancer,
    ExecutionStopService executions,
    JobDispatcher dispatcher,
    TimeProvider time,
    IOptions<SchedulingOptions> scheduling)
{
    private const int MaxVariables = 200;
    private const int MaxAttempts = 5;
    private const int BranchScanBatch = 200;

    /// <summary>Runs a branch-filtered list looks at per request before it answers with what it found.</summary>
    public const int MaxBranchScan = 5000;

    /// <summary>
    /// Records the run, its job (a pipeline file's: one per action; a batch's: one per member build) and the outbox rows in one transaction (a single SaveChanges), so there is
    /// never a run without its message nor a message for a rolled-back run. A repeated idempotency
    /// key returns the run it first created.
    /// </summary>
    public async Task<Run> TriggerAsync(RunTrigger trigger, CancellationToken cancellationToken)
    {
        if (trigger.Variables is { Count: > MaxVariables })
        {
            throw new RequestInvalidException("variables", $"At most {MaxVariables} variables may be passed.");
        }

        if (trigger.IdempotencyKey is { Length: > 200 })
        {
            throw new RequestInvalidException("idempotency_key", "The idempotency key is longer than 200 characters.");
        }

        // Most keys are new (the SDK sends one with every trigger): ask cheaply whether the key is taken, and
        // load the whole run only when it is.
        if (!string.IsNullOrEmpty(trigger.IdempotencyKey)
            && await db.Runs.AsNoTracking().AnyAsync(r => r.IdempotencyKey == trigger.IdempotencyKey, cancellationToken)
            && await FindByIdempotencyKeyAsync(trigger.IdempotencyKey, cancellationToken) is { } existing)
        {
            return existing;
        }

        // The pipeline and its latest version in one round trip: every trigger asks.
        var latest = await db.Pipelines.AsNoTracking()
            .Where(p => p.Name == trigger.Pipeline && p.DeletedAt == null)
            .Join(db.PipelineVersions.AsNoTracking(),
                p => new { Id = p.Id, Version = p.LatestVersion },
                v => new { Id = v.PipelineId, v.Version },
                (p, v) => new { p.Name, Version = v })
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("Pipeline", trigger.Pipeline);
        return await QueueAsync(latest.Name, latest.Version, trigger.Variables, trigger.IdempotencyKey, trigger.CorrelationId, trigger.TriggeredBy, cancellationToken);
    }

    /// <summary>
    /// A new run of a finished run's exact pipeline version with its variables (not the latest version:
    /// a retry answers "would the same thing pass now?"). A run that has not finished cannot be retried.
    /// </summary>
    public async Task<Run> RetryAsync(Guid runId, CancellationToken cancellationToken)
    {
        var original = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, cancellationToken)
            ?? throw new NotFoundException("Run", runId.ToString());
        if (!original.Status.IsFinal())
        {
            throw new ConflictException($"Run {runId} is {original.Status}: only a finished run can be retried (cancel it first).");
        }

        var version = await db.PipelineVersions.AsNoTracking().FirstAsync(v => v.Id == original.PipelineVersionId, cancellationToken);
        if (await db.Pipelines.AsNoTracking().AnyAsync(p => p.Id == version.PipelineId && p.DeletedAt != null, cancellationToken))
        {
            throw new ConflictException($"Pipeline '{original.PipelineName}' was deleted: its runs stay readable but cannot be retried (apply it again first).");
        }

        return await QueueAsync(original.PipelineName, version, original.Variables, null, original.CorrelationId, $"retry of {runId}", cancellationToken);
    }

    private async Task<Run> QueueAsync(
        string pipelineName,
        PipelineVersion version,
        IReadOnlyDictionary<string, string>? variables,
        string? idempotencyKey,
        Guid correlationId,
        string triggeredBy,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var pipelineFile = PipelineRunPlanner.Read(version);
        if (pipelineFile is not null)
        {
            variables = PipelineRunPlanner.Variables(pipelineFile, variables);
        }
        var run = new Run
        {
            Id = Guid.NewGuid(),
            PipelineId = version.PipelineId,
            PipelineName = pipelineName,
            PipelineVersion = version.Version,
            PipelineVersionId = version.Id,
            Status = RunStatus.Queued,
            IdempotencyKey = string.IsNullOrEmpty(idempotencyKey) ? null : idempotencyKey,
            CorrelationId = correlationId == Guid.Empty ? Guid.NewGuid() : correlationId,
            TriggeredBy = triggeredBy,
            Variables = variables is null ? [] : new Dictionary<string, string>(variables),
            CreatedAt = now,
        };
        db.Runs.Add(run);
        // A buildspec with a batch section runs as a batch; one whose batch cannot run here is refused before anything is stored.
        var batch = pipelineFile is null ? BatchRunPlanner.Read(version) : null;
        var buildTimeoutSeconds = (version.TimeoutInMinutes ?? BuildTimeouts.DefaultBuildMinutes) * scheduling.Value.TimeoutMinuteSeconds;
        var queuedTimeoutSeconds = (version.QueuedTimeoutInMinutes ?? BuildTimeouts.DefaultQueuedMinutes) * scheduling.Value.TimeoutMinuteSeconds;
        if (batch is not null)
        {
            // Member builds → jobs; the ones without dependencies are dispatched now, in this transaction (RunCompletion
            // moves the batch on), the rest as their dependencies finish.
            BatchRunPlanner.AddJobs(run, batch, buildTimeoutSeconds, queuedTimeoutSeconds);
            RequireLabels(run, version);
            completion.UpdateRun(db, run, null);
        }
        else if (pipelineFile is null)
        {
            var job = new Job
            {
                Id = Guid.NewGuid(),
                RunId = run.Id,
                Name = "build",
                Status = RunStatus.Queued,
                AttemptId = Guid.NewGuid(),
                Attempt = 1,
                BuildTimeoutSeconds = buildTimeoutSeconds,
                QueuedTimeoutSeconds = queuedTimeoutSeconds,
            };
            job.QueuedDeadline = now.AddSeconds(job.QueuedTimeoutSeconds.Value);
            run.Jobs.Add(job);
            RequireLabels(run, version);
            dispatcher.Dispatch(db, job);
        }
        else
        {
            // Stages → actions: the first group is dispatched now, in this transaction; the rest wait their turn.
            PipelineRunPlanner.AddJobs(run, pipelineFile);
            RequireLabels(run, version);
            advancer.DispatchReady(db, run, pipelineFile);
            completion.UpdateRun(db, run, null);
            // It may have to wait in front of its first stage.
            outbox.Publish(db, new AdmitExecutions(run.Id, run.PipelineId));
        }
        outbox.Publish(db, new RunQueued(run.Id, run.PipelineName, run.PipelineVersion, run.IdempotencyKey, run.CorrelationId, now));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (run.IdempotencyKey is not null && UniqueViolation.Is(ex))
        {
            // A concurrent trigger with the same key committed first: answer with its run.
            db.ChangeTracker.Clear();
            return await FindByIdempotencyKeyAsync(run.IdempotencyKey, cancellationToken)
                ?? throw new ConflictException($"Idempotency key '{run.IdempotencyKey}' collided but its run is gone.");
        }

        signal.Notify();
        return run;
    }

    /// <summary>Every job of the run needs the version's worker labels; set before any of them is dispatched.</summary>
    private static void RequireLabels(Run run, PipelineVersion version)
    {
        if (version.Labels.Count == 0)
        {
            return;
        }

        foreach (var job in run.Jobs)
        {
            job.RequiredLabels = [.. version.Labels];
        }
    }

    public async Task<Run> GetAsync(Guid runId, CancellationToken cancellationToken) =>
        await db.Runs.AsNoTracking()
            .Include(r => r.Jobs).ThenInclude(j => j.Phases)
            .Include(r => r.Jobs).ThenInclude(j => j.Reports)
            .AsSplitQuery()
            .FirstOrDefaultAsync(r => r.Id == runId, cancellationToken)
        ?? throw new NotFoundException("Run", runId.ToString());

    /// <summary>Runs newest first, by pipeline and status; see <see cref="ListAsync(RunListFilter, int, string?, CancellationToken)"/>.</summary>
    public Task<(IReadOnlyList<Run> Runs, string? NextPageToken)> ListAsync(
        string? pipeline, RunStatus? status, int pageSize, string? pageToken, CancellationToken cancellationToken) =>
        ListAsync(new RunListFilter(pipeline, status), pageSize, pageToken, cancellationToken);

    /// <summary>
    /// Runs newest first, without their jobs, keyset-paged on (CreatedAt, Id) so a page stays stable while
    /// new runs arrive. The token is opaque to callers: base64 of the last run's creation ticks and id.
    /// The branch is read from each run's CodeBuild variables (as run lists show it), so with a branch the
    /// runs are scanned in batches, at most <see cref="MaxBranchScan"/> per page: a page may then be short
    /// (even empty) with a token to go on from where the scan stopped.
    /// </summary>
    public async Task<(IReadOnlyList<Run> Runs, string? NextPageToken)> ListAsync(
        RunListFilter filter, int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        const int DefaultPageSize = 50;
        const int MaxPageSize = 500;
        if (pageSize is < 0 or > MaxPageSize)
        {
            throw new RequestInvalidException("page_size", $"page_size must be between 1 and {MaxPageSize} (0 means {DefaultPageSize}); got {pageSize}.");
        }

        if (filter.CreatedAfter is { } from && filter.CreatedBefore is { } to && from >= to)
        {
            throw new RequestInvalidException("created_after", $"created_after ({from:O}) must be earlier than created_before ({to:O}).");
        }

        if (filter.Branch is { Length: > 255 })
        {
            throw new RequestInvalidException("branch", "branch is longer than 255 characters.");
        }

        var size = pageSize == 0 ? DefaultPageSize : pageSize;
        var query = db.Runs.AsNoTracking();
        if (!string.IsNullOrEmpty(filter.Pipeline))
        {
            query = query.Where(r => r.PipelineName == filter.Pipeline);
        }

        if (filter.Status is { } wanted)
        {
            query = query.Where(r => r.Status == wanted);
        }

        if (filter.CreatedAfter is { } after)
        {
            var since = after.ToUniversalTime();
            query = query.Where(r => r.CreatedAt >= since);
        }

        if (filter.CreatedBefore is { } before)
        {
            var until = before.ToUniversalTime();
            query = query.Where(r => r.CreatedAt < until);
        }

        var cursor = string.IsNullOrEmpty(pageToken) ? ((DateTimeOffset, Guid)?)null : DecodeToken(pageToken);
        if (string.IsNullOrEmpty(filter.Branch))
        {
            // One extra row tells whether another page exists without a count query.
            var rows = await After(query, cursor).Take(size + 1).ToListAsync(cancellationToken);
            if (rows.Count <= size)
            {
                return (rows, null);
            }

            rows.RemoveAt(size);
            return (rows, EncodeToken(rows[^1]));
        }

        var found = new List<Run>();
        var scanned = 0;
        while (true)
        {
            var batch = await After(query, cursor).Take(BranchScanBatch).ToListAsync(cancellationToken);
            foreach (var run in batch)
            {
                if (Api.Models.RunSource.Branch(run.Variables) == filter.Branch)
                {
                    if (found.Count == size)
                    {
                        // A match beyond this page: the page ends at its last run.
                        return (found, EncodeToken(found[^1]));
                    }

                    found.Add(run);
                }

                cursor = (run.CreatedAt, run.Id);
                scanned++;
            }

            if (batch.Count < BranchScanBatch)
            {
                return (found, null);
            }

            if (scanned >= MaxBranchScan)
            {
                // Enough work for one request: go on from the last run looked at.
                return (found, EncodeToken(batch[^1]));
            }
        }

        static IQueryable<Run> After(IQueryable<Run> query, (DateTimeOffset CreatedAt, Guid Id)? cursor)
        {
            if (cursor is { } position)
            {
                var (afterCreated, afterId) = position;
                query = query.Where(r => r.CreatedAt < afterCreated || (r.CreatedAt == afterCreated && r.Id.CompareTo(afterId) < 0));
            }

            return query.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id);
        }

        static string EncodeToken(Run last) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(
            $"{last.CreatedAt.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture)}:{last.Id}"));

        static (DateTimeOffset CreatedAt, Guid Id) DecodeToken(string token)
        {
            try
            {
                var parts = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split(':');
                if (parts.Length == 2
                    && long.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ticks)
                    && ticks <= DateTimeOffset.MaxValue.UtcTicks
                    && Guid.TryParse(parts[1], out var id))
                {
                    return (new DateTimeOffset(ticks, TimeSpan.Zero), id);
                }
            }
            catch (FormatException)
            {
                // Not base64: reported below like any other malformed token.
            }

            throw new RequestInvalidException("page_token", "page_token is not a token returned by a previous page.");
        }
    }

    /// <summary>
    /// Queued jobs are cancelled at once (their claim will then fail); running ones go to Cancelling and
    /// their worker gets CancelJob through the outbox. Cancelling a finished run changes nothing.
    /// </summary>
    public async Task<Run> CancelAsync(Guid runId, string reason, CancellationToken cancellationToken)
    {
        // A pipeline file's run holds actions the coordinator runs itself (approvals, deployments), which no
        // worker would ever confirm cancelled: cancelling it is CodePipeline's stop and abandon.
        var target = await db.Runs.AsNoTracking().Where(r => r.Id == runId)
            .Select(r => new { r.Status, PipelineFile = r.Jobs.Any(j => j.StageName != null) })
            .FirstOrDefaultAsync(cancellationToken);
        if (target is { PipelineFile: true } && !target.Status.IsFinal())
        {
            try
            {
                await executions.StopAsync(runId, abandon: true, reason, cancellationToken);
            }
            catch (ConflictException)
            {
                // It finished meanwhile: as with any run, cancelling a finished one changes nothing.
            }

            return await GetAsync(runId, cancellationToken);
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await CancelOnceAsync(runId, reason, cancellationToken);
                break;
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
            {
                // A worker's event changed the job meanwhile: decide again on fresh state.
                db.ChangeTracker.Clear();
            }
        }

        db.ChangeTracker.Clear();
        return await GetAsync(runId, cancellationToken);
    }

    private async Task CancelOnceAsync(Guid runId, string reason, CancellationToken cancellationToken)
    {
        var run = await db.Runs.Include(r => r.Jobs).FirstOrDefaultAsync(r => r.Id == runId, cancellationToken)
            ?? throw new NotFoundException("Run", runId.ToString());
        if (run.Status.IsFinal())
        {
            return;
        }

        var now = time.GetUtcNow();
        foreach (var job in run.Jobs)
        {
            var next = RunStateMachine.Next(job.Status, RunEvent.CancelRequested);
            if (next is null)
            {
                continue;
            }

            if (job.Status == RunStatus.Running)
            {
                outbox.Publish(db, new CancelJob(run.Id, job.Id, job.AttemptId));
            }
            else
            {
                job.FinishedAt = now;
            }

            job.Status = next.Value;
            job.Reason = reason;
            job.Revision++;
        }

        completion.UpdateRun(db, run, reason);
        await db.SaveChangesAsync(cancellationToken);
        signal.Notify();
    }

    private Task<Run?> FindByIdempotencyKeyAsync(string key, CancellationToken cancellationToken) =>
        db.Runs.AsNoTracking()
            .Include(r => r.Jobs).ThenInclude(j => j.Phases)
            .AsSplitQuery()
            .FirstOrDefaultAsync(r => r.IdempotencyKey == key, cancellationToken);
}
