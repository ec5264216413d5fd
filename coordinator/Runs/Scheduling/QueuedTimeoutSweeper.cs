using BuildFarm.Coordinator.Hosting;
using BuildFarm.Coordinator.Logs;
using BuildFarm.Coordinator.Messaging.Outbox;
using BuildFarm.Coordinator.Options;
using BuildFarm.Coordinator.Persistence;
using BuildFarm.Core.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BuildFarm.Coordinator.Runs.Scheduling;

/// <summary>
/// CodeBuild's queued timeout: a job no worker has claimed by its deadline fails, saying so. A worker
/// that gets the RunJob afterwards is refused the claim (the job is no longer Queued), so it never runs.
/// </summary>
public sealed partial class QueuedTimeoutSweeper(
    IServiceScopeFactory scopes,
    TimeProvider time,
    LogHub hub,
    OutboxSignal signal,
    IOptions<SchedulingOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<QueuedTimeoutSweeper> logger) : PeriodicSweeper(time, lifetime, logger)
{
    private const int BatchSize = 100;

    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.SweepSeconds);

    protected override Task SweepOnceAsync(CancellationToken cancellationToken) => SweepAsync(cancellationToken);

    /// <summary>Fails up to one batch of jobs past their queued deadline; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BuildFarmDbContext>();
        var completion = scope.ServiceProvider.GetRequiredService<RunCompletion>();
        var now = Time.GetUtcNow();
        var overdue = await db.Jobs.AsNoTracking()
            .Where(j => j.Status == RunStatus.Queued && j.QueuedDeadline < now)
            .OrderBy(j => j.QueuedDeadline)
            .Select(j => new { j.Id, j.RunId })
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
        var failed = 0;
        foreach (var job in overdue)
        {
            try
            {
                if (await FailOnceAsync(db, completion, job.RunId, job.Id, cancellationToken))
                {
                    failed++;
                }
            }
            catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || UniqueViolation.Is(ex))
            {
                // A worker claimed it (or a cancel came) meanwhile: that result stands; the next tick
                // looks again if it is still queued.
                db.ChangeTracker.Clear();
            }
        }

        return failed;
    }

    private async Task<bool> FailOnceAsync(BuildFarmDbContext db, RunCompletion completion, Guid runId, Guid jobId, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var now = Time.GetUtcNow();
        var run = await db.Runs.Include(r => r.Jobs).FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
        var job = run?.Jobs.FirstOrDefault(j => j.Id == jobId);
        if (run is null || job is null || job.Status != RunStatus.Queued || job.QueuedDeadline is not { } deadline || deadline >= now)
        {
            return false;
        }

        var waited = BuildTimeouts.Describe(TimeSpan.FromSeconds(job.QueuedTimeoutSeconds ?? 0));
        job.Status = RunStatus.Failed;
        // A job that needed labels keeps saying why no worker took it.
        var why = job.Reason is { } waiting && waiting.StartsWith(LabelledWorkerChoice.WaitingPrefix, StringComparison.Ordinal) ? $" ({waiting})" : "";
        job.Reason = $"queued timeout: no worker claimed it within {waited}{why}";
        job.FinishedAt = now;
        job.QueuedDeadline = null;
        job.Revision++;
        completion.UpdateRun(db, run, job.Reason);
        var segment = await LogMarker.AddAsync(db, job.Id, job.Reason, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        signal.Notify();
        hub.Append(job.Id, [segment]);
        hub.Complete(job.Id);
        LogQueuedTimeout(logger, run.Id, job.Id, waited);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} job {JobId} failed: no worker claimed it within {Waited}")]
    private static partial void LogQueuedTimeout(ILogger logger, Guid runId, Guid jobId, string waited);

}
