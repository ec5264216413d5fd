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
    public async Task<IReadOnlyList<Guid>> BeatAsync(string workerId, IReadOnlyList<Guid> attemptIds, int freeSlots, CancellationToken cancellationToken)
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
