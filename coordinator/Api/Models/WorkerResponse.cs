using BuildFarm.Coordinator.Runs.Scheduling;

namespace BuildFarm.Coordinator.Api.Models;

/// <summary>
/// A worker: free slots as of its last heartbeat, jobs it holds now, whether its lease is current, and its
/// mode (Active, Draining, Disabled); drained: not Active and holding no job any more; its labels (Worker:Labels).
/// </summary>
public sealed record WorkerResponse(string Id, DateTimeOffset LastHeartbeatAt, int FreeSlots, int RunningJobs, bool Alive, string Mode, bool Drained, IReadOnlyList<string> Labels)
{
    public static WorkerResponse From(WorkerState worker) =>
        new(worker.Id, worker.LastHeartbeatAt, worker.FreeSlots, worker.RunningJobs, worker.Alive, worker.Mode.ToString(),
            worker.Mode != WorkerMode.Active && worker.RunningJobs == 0, worker.Labels);
}
