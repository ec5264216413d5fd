using BuildFarm.Contracts.Events;
using BuildFarm.Coordinator.Errors;
using BuildFarm.Coordinator.Messaging.Outbox;
using BuildFarm.Coordinator.Options;
using BuildFarm.Coordinator.Persistence;
using BuildFarm.Core.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BuildFarm.Coordinator.Runs.Scheduling;

/// <summary>
/// Grants an attempt to exactly one worker: a compare-and-set from Queued to Running on the
/// (job, attempt) pair. A redelivered RunJob, or a second worker, finds it taken and runs nothing.
/// </summary>
public sealed class JobClaimService(
    BuildFarmDbContext db,
    OutboxWriter outbox,
    OutboxSignal signal,
    TimeProvider time,
    IOptions<SchedulingOptions> options)
{
    public async Task<JobClaim> ClaimAsync(Guid jobId, Guid attemptId, string workerId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var lease = TimeSpan.FromSeconds(options.Value.LeaseSeconds);
        var expires = now + lease;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var claimed = await db.Jobs
            .Where(j => j.Id == jobId && j.AttemptId == attemptId && j.Status == RunStatus.Queued
                // A job that needs labels was sent to one worker's queue: only that worker may take it.
                && (j.AssignedWorkerId == null || j.AssignedWorkerId == workerId)
                // A drained or disabled worker claims nothing new; a mode set a moment later applies to the next
                // claim, so a drain never interrupts a job. Part of the statement, so a claim costs no read for it.
                && !db.Workers.Any(w => w.Id == workerId && (w.Mode == WorkerMode.Draining || w.Mode == WorkerMode.Disabled)))
            .ExecuteUpdateAsync(
                s => s.SetProperty(j => j.Status, RunStatus.Running)
                    .SetProperty(j => j.Reason, j => j.Reason != null && j.Reason.StartsWith(LabelledWorkerChoice.WaitingPrefix) ? null : j.Reason)
                    .SetProperty(j => j.WorkerId, workerId)
                    .SetProperty(j => j.LeaseExpiresAt, expires)
                    .SetProperty(j => j.StartedAt, now)
                    .SetProperty(j => j.Revision, j => j.Revision + 1),
                cancellationToken);
        if (claimed == 0)
        {
            var mode = await db.Workers.AsNoTracking().Where(w => w.Id == workerId).Select(w => (WorkerMode?)w.Mode).FirstOrDefaultAsync(cancellationToken);
            if (mode is WorkerMode.Draining or WorkerMode.Disabled)
            {
                throw new ConflictException(
                    $"Worker {workerId} is {mode.Value.ToString().ToLowerInvariant()}: it claims no new jobs (enable it with POST /api/workers/{workerId}/enable).");
            }

            return JobClaim.Refused(await RefusalReasonAsync(jobId, attemptId, cancellationToken));
        }

        // Read only: both changes below are compare-and-set statements, so the change tracker has nothing to follow here.
        var run = await db.Runs.AsNoTracking().Include(r => r.Jobs).FirstAsync(r => r.Jobs.Any(j => j.Id == jobId), cancellationToken);
        // A compare-and-set too: when two jobs of a run (a pipeline group, a batch) are claimed at once, one of them
        // starts the run and neither fails on the other's change.
        if (run.Status == RunStatus.Queued
            && await db.Runs
                .Where(r => r.Id == run.Id && r.Status == RunStatus.Queued)
                .ExecuteUpdateAsync(
                    s => s.SetProperty(r => r.Status, RunStatus.Running)
                        .SetProperty(r => r.StartedAt, now)
                        .SetProperty(r => r.Revision, r => r.Revision + 1),
                    cancellationToken) == 1)
        {
            outbox.Publish(db, new RunStarted(run.Id, run.CorrelationId, now));
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        signal.Notify();
        var definition = await db.PipelineVersions.AsNoTracking().FirstAsync(v => v.Id == run.PipelineVersionId, cancellationToken);
        var logSeqStart = await db.LogChunks.Where(c => c.JobId == jobId).MaxAsync(c => (long?)c.Seq, cancellationToken) ?? 0;
        return new JobClaim(true, null, run, definition, lease, logSeqStart);
    }

    private async Task<string> RefusalReasonAsync(Guid jobId, Guid attemptId, CancellationToken cancellationToken)
    {
        var job = await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == jobId, cancellationToken);
        if (job is null)
        {
            return $"job {jobId} does not exist";
        }

        if (job.AttemptId != attemptId)
        {
            return $"attempt {attemptId} is stale; the job's current attempt is {job.Attempt}";
        }

        if (job.Status == RunStatus.Queued && job.AssignedWorkerId is { } assigned)
        {
            return $"job was sent to worker {assigned}";
        }

        return job.WorkerId is null
            ? $"job is {job.Status}"
            : $"job is {job.Status} on worker {job.WorkerId}";
    }
}
