using BuildFarm.Coordinator.Hosting;
using BuildFarm.Coordinator.Messaging.Outbox;
using BuildFarm.Coordinator.Options;
using BuildFarm.Coordinator.Persistence;
using BuildFarm.Core.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BuildFarm.Coordinator.Runs.Scheduling;

/// <summary>
/// Sends each queued job that needs labels to one live, Active worker advertising them (its own queue), and
/// writes on a job no worker can take why it waits ("waiting: no worker with label gpu"). A job sent to a
/// worker that then goes silent, is drained, or drops a label is sent again to another with a new attempt id,
/// so the first worker's copy can no longer be claimed. Every change is a compare-and-set on the attempt, so
/// several coordinators running this at once send a job once.
/// </summary>
public sealed partial class LabelledJobAssigner(
    IServiceScopeFactory scopes,
    TimeProvider time,
    LabelledJobSignal wake,
    OutboxWriter outbox,
    OutboxSignal outboxSignal,
    IOptions<SchedulingOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<LabelledJobAssigner> logger) : PeriodicSweeper(time, lifetime, logger)
{
    private const int BatchSize = 200;

    protected override TimeSpan Interval => TimeSpan.FromMilliseconds(options.Value.LabelledAssignPollMilliseconds);

    protected override async ValueTask<bool> WaitForNextPassAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        // Woken as soon as such a job is queued; the interval is only the fallback (a worker coming up, another coordinator's job).
        await wake.WaitAsync(Interval, cancellationToken);
        return true;
    }

    protected override Task SweepOnceAsync(CancellationToken cancellationToken) => AssignAsync(cancellationToken);

    /// <summary>One pass over the queued labelled jobs; returns how many were sent to a worker.</summary>
    public async Task<int> AssignAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BuildFarmDbContext>();
        var waiting = await db.Jobs.AsNoTracking()
            .Where(j => j.Status == RunStatus.Queued && j.RequiredLabels != null)
            .OrderBy(j => j.QueuedDeadline)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
        if (waiting.Count == 0)
        {
            return 0;
        }

        var workers = await CandidatesAsync(db, waiting, cancellationToken);
        var sent = 0;
        foreach (var job in waiting)
        {
            var required = job.RequiredLabels!;
            if (job.AssignedWorkerId is { } assigned && workers.FirstOrDefault(w => w.Id == assigned) is { } holder
                && holder.Alive && holder.Mode == WorkerMode.Active && WorkerLabels.Missing(required, holder.Labels).Count == 0)
            {
                continue; // In that worker's queue until it has a free slot.
            }

            var pick = LabelledWorkerChoice.Choose(required, workers);
            if (pick.WorkerId is null)
            {
                if (job.Reason != pick.WaitingReason)
                {
                    await db.Jobs
                        .Where(j => j.Id == job.Id && j.AttemptId == job.AttemptId && j.Status == RunStatus.Queued)
                        .ExecuteUpdateAsync(s => s.SetProperty(j => j.Reason, pick.WaitingReason), cancellationToken);
                }

                continue;
            }

            if (await SendAsync(db, job, pick, cancellationToken))
            {
                sent++;
                var index = workers.FindIndex(w => w.Id == pick.WorkerId);
                workers[index] = workers[index] with { Load = workers[index].Load + 1 };
            }
        }

        if (sent > 0)
        {
            outboxSignal.Notify();
        }

        return sent;
    }

    private async Task<List<CandidateWorker>> CandidatesAsync(BuildFarmDbContext db, List<Persistence.Entities.Job> waiting, CancellationToken cancellationToken)
    {
        var rows = await db.Workers.AsNoTracking().ToListAsync(cancellationToken);
        var running = await db.Jobs.AsNoTracking()
            .Where(j => j.WorkerId != null && (j.Status == RunStatus.Running || j.Status == RunStatus.Cancelling))
            .GroupBy(j => j.WorkerId!)
            .Select(g => new { WorkerId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.WorkerId, g => g.Count, cancellationToken);
        var sentNotClaimed = waiting.Where(j => j.AssignedWorkerId is not null).GroupBy(j => j.AssignedWorkerId!).ToDictionary(g => g.Key, g => g.Count());
        var liveSince = Time.GetUtcNow() - TimeSpan.FromSeconds(options.Value.LeaseSeconds);
        return rows
            .Select(w => new CandidateWorker(w.Id, w.LastHeartbeatAt >= liveSince, w.Mode, w.Labels,
                running.GetValueOrDefault(w.Id) + sentNotClaimed.GetValueOrDefault(w.Id), w.FreeSlots, w.LastHeartbeatAt))
            .ToList();
    }

    private async Task<bool> SendAsync(BuildFarmDbContext db, Persistence.Entities.Job job, WorkerPick pick, CancellationToken cancellationToken)
    {
        // The first send keeps the attempt id; a send to another worker makes the first one's copy stale.
        var attemptId = job.AssignedWorkerId is null ? job.AttemptId : Guid.NewGuid();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var changed = await db.Jobs
            .Where(j => j.Id == job.Id && j.AttemptId == job.AttemptId && j.Status == RunStatus.Queued && j.AssignedWorkerId == job.AssignedWorkerId)
            .ExecuteUpdateAsync(
                s => s.SetProperty(j => j.AssignedWorkerId, pick.WorkerId)
                    .SetProperty(j => j.AttemptId, attemptId)
                    .SetProperty(j => j.Reason, pick.WaitingReason)
                    .SetProperty(j => j.Revision, j => j.Revision + 1),
                cancellationToken);
        if (changed == 0)
        {
            return false; // Claimed, cancelled or sent by another coordinator meanwhile.
        }

        job.AttemptId = attemptId;
        outbox.Send(db, JobDispatcher.RunJobFor(job), WorkerQueue.For(pick.WorkerId!));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogSent(logger, job.RunId, job.Id, pick.WorkerId!);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} job {JobId} sent to worker {WorkerId}, whose labels match")]
    private static partial void LogSent(ILogger logger, Guid runId, Guid jobId, string workerId);

}
