using BuildFarm.Coordinator.Logs;
using BuildFarm.Coordinator.Messaging.Outbox;
using BuildFarm.Coordinator.Options;
using BuildFarm.Coordinator.Persistence;
using BuildFarm.Core.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BuildFarm.Coordinator.Runs.Scheduling;

/// <summary>
/// Ends attempts whose worker stopped heartbeating, so no run stays Running forever. A build never
/// holds its bus delivery open (RabbitMQ's consumer_timeout), so the lease is the only liveness signal.
/// A lost attempt is run again as a new attempt while the job has attempts left
/// (<see cref="SchedulingOptions.MaxAttempts"/>); after that the job fails, and a job being
/// cancelled ends Cancelled.
/// </summary>
public sealed partial class LeaseSweeper(
    IServiceScopeFactory scopes,
    TimeProvider time,
    LogHub hub,
    OutboxSignal signal,
    JobDispatcher dispatcher,
    IOptions<SchedulingOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<LeaseSweeper> logger) : BackgroundService
{
    private const int BatchSize = 100;
    // Each try loses only to a worker's event or a late log chunk of the same job, so a few settle it.
    private const int MaxTries = 5;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await lifetime.WaitForStartAsync(stoppingToken);

        // A coordinator that was away (restarted, or cut off) cannot tell a lost worker from one that
        // could not reach it, and a lease that lapsed meanwhile says nothing. So from the moment
        // workers can reach this one, every lease gets one full term to be renewed before any sweep.
        await Task.Delay(TimeSpan.FromSeconds(options.Value.LeaseSeconds), time, stoppingToken);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.SweepSeconds), time);
        var databaseWasAway = false;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (databaseWasAway)
                {
                    // The same holds after a database outage: no heartbeat could be recorded and no
                    // JobCompleted applied meanwhile (those wait in the queue), so every lease gets one
                    // more full term from the moment the database answers again.
                    await WaitForDatabaseAsync(stoppingToken);
                    databaseWasAway = false;
                    LogDatabaseBack(logger, options.Value.LeaseSeconds);
                    await Task.Delay(TimeSpan.FromSeconds(options.Value.LeaseSeconds), time, stoppingToken);
                    continue;
                }

                await SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database may be away; the next tick tries again.
                databaseWasAway |= DatabaseUnavailable.Is(ex);
                LogSweepFailed(logger, ex);
            }
        }
    }

    private async Task WaitForDatabaseAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BuildFarmDbContext>();
        await db.Jobs.AsNoTracking().AnyAsync(cancellationToken);
    }

    /// <summary>Ends up to one batch of expired attempts; returns how many it retried, failed or cancelled.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BuildFarmDbContext>();
        var completion = scope.ServiceProvider.GetRequiredService<RunCompletion>();
        var now = time.GetUtcNow();
        var expired = await db.Jobs.AsNoTracking()
            .Where(j => (j.Status == RunStatus.Running || j.Status == RunStatus.Cancelling) && j.LeaseExpiresAt < now)
            .OrderBy(j => j.LeaseExpiresAt)
            .Select(j => new { j.Id, j.RunId })
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
        var ended = 0;
        foreach (var job in expired)
        {
            if (await EndLostAttemptAsync(db, completion, job.RunId, job.Id, cancellationToken))
            {
                ended++;
            }
        }

        return ended;
    }

    private async Task<bool> EndLostAttemptAsync(BuildFarmDbContext db, RunCompletion completion, Guid runId, Guid jobId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // The last try goes without the marker, so a log race can delay the recovery but never block it.
                return await EndOnceAsync(db, completion, runId, jobId, withMarker: attempt < MaxTries, cancellationToken);
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxTries)
            {
                // The worker was only slow: its JobCompleted (or a cancel) changed the job meanwhile.
                // Deciding again on fresh state keeps that result instead of overwriting it.
                LogRaced(logger, jobId);
            }
            catch (DbUpdateException ex) when (attempt < MaxTries && UniqueViolation.Is(ex))
            {
                // A late chunk of the lost worker took the marker's sequence; the marker goes after it.
                LogRaced(logger, jobId);
            }
        }
    }

    /// <returns>False when the job turned out to be alive or finished after all.</returns>
    private async Task<bool> EndOnceAsync(BuildFarmDbContext db, RunCompletion completion, Guid runId, Guid jobId, bool withMarker, CancellationToken cancellationToken)
    {
        // Tracked entities are not refreshed by a query, so every decision starts from an empty tracker.
        db.ChangeTracker.Clear();
        var now = time.GetUtcNow();
        var run = await db.Runs.Include(r => r.Jobs).FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
        var job = run?.Jobs.FirstOrDefault(j => j.Id == jobId);
        if (run is null || job is null
            || job.Status is not (RunStatus.Running or RunStatus.Cancelling)
            || job.LeaseExpiresAt is not { } expiry || expiry >= now)
        {
            return false;
        }

        var lastBeat = expiry - TimeSpan.FromSeconds(options.Value.LeaseSeconds);
        // A running job has a reason only when its worker handed it back (WorkerHeartbeats.HandBackAsync).
        var lost = job.Status == RunStatus.Running && job.Reason is { } handedBack
            ? handedBack
            : $"worker {job.WorkerId} lost: no heartbeat since {lastBeat:O}";
        var lostAttempt = job.Attempt;
        var lostWorker = job.WorkerId;
        var maxAttempts = options.Value.MaxAttempts;
        Outcome outcome;
        string marker;
        if (job.Status == RunStatus.Cancelling)
        {
            // The user asked for the cancel; a lost worker only ends it sooner, so there is nothing to retry.
            outcome = Outcome.Cancelled;
            marker = $"attempt {lostAttempt} lost: {lost}; the job is cancelled";
            job.Status = RunStatus.Cancelled;
            job.Reason = job.Reason is null ? lost : $"{job.Reason}; {lost}";
            job.FinishedAt = now;
        }
        else if (job.Attempt < maxAttempts)
        {
            outcome = Outcome.Retried;
            marker = $"attempt {lostAttempt} lost: {lost}; retrying as attempt {lostAttempt + 1} of {maxAttempts}";
            // A new attempt id makes every late message of the lost worker stale (JobProgress, claims, log uploads).
            job.AttemptId = Guid.NewGuid();
            job.Attempt++;
            job.Status = RunStatus.Queued;
            job.WorkerId = null;
            job.StartedAt = null;
            job.ExitCode = null;
            // The log marker records the loss; a reason kept here would become the next attempt's failure reason.
            job.Reason = null;
            job.QueuedDeadline = job.QueuedTimeoutSeconds is { } queued ? now.AddSeconds(queued) : null;
            dispatcher.Dispatch(db, job);
        }
        else
        {
            outcome = Outcome.Failed;
            job.Reason = $"{lost}; gave up after {job.Attempt} attempt{(job.Attempt == 1 ? "" : "s")}";
            marker = $"attempt {lostAttempt} lost: {job.Reason}";
            job.Status = RunStatus.Failed;
            job.FinishedAt = now;
        }

        job.LeaseExpiresAt = null;
        job.Revision++;
        // A retried job leaves the run Running: its aggregate would say Queued, and the next claim
        // would then announce RunStarted a second time.
        if (outcome != Outcome.Retried)
        {
            completion.UpdateRun(db, run, null);
        }

        var segment = withMarker ? await LogMarker.AddAsync(db, job.Id, marker, now, cancellationToken) : null;
        await db.SaveChangesAsync(cancellationToken);
        signal.Notify();
        if (segment is not null)
        {
            hub.Append(job.Id, [segment]);
        }

        if (outcome == Outcome.Retried)
        {
            LogRetried(logger, run.Id, job.Id, lostAttempt, lostWorker, job.Attempt, job.AttemptId);
        }
        else
        {
            // Followers end only once the job is final; a retried job's log goes on with the next attempt.
            hub.Complete(job.Id);
            LogEnded(logger, run.Id, job.Id, lostAttempt, lostWorker, job.Status);
        }

        return true;
    }

    private enum Outcome
    {
        Retried,
        Failed,
        Cancelled,
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} job {JobId} lost attempt {Attempt} with worker {WorkerId}; retrying as attempt {NextAttempt} ({AttemptId})")]
    private static partial void LogRetried(ILogger logger, Guid runId, Guid jobId, int attempt, string? workerId, int nextAttempt, Guid attemptId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} job {JobId} lost attempt {Attempt} with worker {WorkerId}; the job is {Status}")]
    private static partial void LogEnded(ILogger logger, Guid runId, Guid jobId, int attempt, string? workerId, RunStatus status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} changed while its lost attempt was being ended; deciding again")]
    private static partial void LogRaced(ILogger logger, Guid jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "The database answers again; leases get {LeaseSeconds} s to be renewed before the next sweep")]
    private static partial void LogDatabaseBack(ILogger logger, int leaseSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lease sweep failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
