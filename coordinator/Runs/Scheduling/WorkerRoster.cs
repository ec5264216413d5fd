using BuildFarm.Coordinator.Options;
using BuildFarm.Coordinator.Persistence;
using BuildFarm.Core.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BuildFarm.Coordinator.Runs.Scheduling;

/// <summary>One worker as the coordinator last heard of it.</summary>
public sealed record WorkerState(string Id, DateTimeOffset LastHeartbeatAt, int FreeSlots, int RunningJobs, bool Alive, WorkerMode Mode, IReadOnlyList<string> Labels);

/// <summary>
/// The workers that have heartbeated, with the jobs they hold. A worker is alive while its last
/// heartbeat is younger than the lease: past it the lease sweeper treats its jobs as lost too.
/// </summary>
public sealed class WorkerRoster(BuildFarmDbContext db, TimeProvider time, IOptions<SchedulingOptions> options)
{
    public async Task<IReadOnlyList<WorkerState>> ListAsync(CancellationToken cancellationToken)
    {
        var workers = await db.Workers.AsNoTracking().OrderBy(w => w.Id).ToListAsync(cancellationToken);
        var running = await db.Jobs.AsNoTracking()
            .Where(j => j.WorkerId != null && (j.Status == RunStatus.Running || j.Status == RunStatus.Cancelling))
            .GroupBy(j => j.WorkerId!)
            .Select(g => new { WorkerId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.WorkerId, g => g.Count, cancellationToken);
        var liveSince = time.GetUtcNow() - TimeSpan.FromSeconds(options.Value.LeaseSeconds);
        return workers
            .Select(w => new WorkerState(w.Id, w.LastHeartbeatAt, w.FreeSlots, running.GetValueOrDefault(w.Id), w.LastHeartbeatAt >= liveSince, w.Mode, w.Labels))
            .ToList();
    }

    /// <summary>Drains, disables or enables a worker; it takes effect on its next claim.</summary>
    /// <exception cref="Errors.NotFoundException">No worker with this id has heartbeated.</exception>
    public async Task<WorkerState> SetModeAsync(string id, WorkerMode mode, CancellationToken cancellationToken)
    {
        var changed = await db.Workers.Where(w => w.Id == id).ExecuteUpdateAsync(s => s.SetProperty(w => w.Mode, mode), cancellationToken);
        if (changed == 0)
        {
            throw new Errors.NotFoundException("Worker", id);
        }

        return (await ListAsync(cancellationToken)).Single(w => w.Id == id);
    }
}
