using BuildFarm.Coordinator.Options;
using BuildFarm.Coordinator.Persistence;
using BuildFarm.Coordinator.Persistence.Entities;
using BuildFarm.Core.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BuildFarm.Coordinator.Runs.Scheduling;

/// <summary>Records a worker's heartbeat, extends its attempts' leases and tells it what to cancel.</summary>
public sealed class WorkerHeartbeats(BuildFarmDbContext db, TimeProvider time, IOptions<SchedulingOptions> options)
{
    /// <summary>
    /// Ends the leases of attempts the worker stopped on shutdown and gave back, so the lease sweeper runs
    /// them again on its next tick (as it would a lost worker's, with this reason) instead of after the lease.
    /// </summary>
    public async Task HandBackAsync(string workerId, IReadOnlyList<Guid> attemptIds, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var reason = $"worker {workerId} shut down and handed the attempt back";
        await db.Jobs
            .Where(j => attemptIds.Contains(j.AttemptId) && j.WorkerId == workerId && j.Status == RunStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseExpiresAt, now).SetProperty(j => j.Reason, reason).SetProperty(j => j.Revision, j => j.Revision + 1), cancellationToken);
    }

    public async Task<IReadOnlyList<Guid>> BeatAsync(
        string workerId, IReadOnlyList<Guid> attemptIds, int freeSlots, IReadOnlyList<string> labels, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var worker = await db.Workers.FirstOrDefaultAsync(w => w.Id == workerId, cancellationToken);
        if (worker is null)
        {
            worker = new Worker { Id = workerId };
            db.Workers.Add(worker);
        }

        worker.LastHeartbeatAt = now;
        worker.FreeSlots = freeSlots;
        worker.Labels = [.. labels];
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
        {
            // Two first heartbeats of one worker raced; the other one registered it, which is all we wanted.
            db.ChangeTracker.Clear();
        }

        if (attemptIds.Count == 0)
        {
            return [];
        }

        var expires = now + TimeSpan.FromSeconds(options.Value.LeaseSeconds);
        await db.Jobs
            .Where(j => attemptIds.Contains(j.AttemptId) && j.WorkerId == workerId
                && (j.Status == RunStatus.Running || j.Status == RunStatus.Cancelling))
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseExpiresAt, expires), cancellationToken);
        // Anything the worker runs that is no longer Running here (cancelled, or failed as lost) must stop.
        return await db.Jobs.AsNoTracking()
            .Where(j => attemptIds.Contains(j.AttemptId) && j.Status != RunStatus.Running)
            .Select(j => j.AttemptId)
            .ToListAsync(cancellationToken);
    }
}
