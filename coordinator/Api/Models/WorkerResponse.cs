using BuildFarm.Coordinator.Runs.Scheduling;

namespace BuildFarm.Coordinator.Api.Models;

/// <summary>A worker: free slots as of its last heartbeat, jobs it holds now, and whether its lease is current.</summary>
public sealed record WorkerResponse(string Id, DateTimeOffset LastHeartbeatAt, int FreeSlots, int RunningJobs, bool Alive)
{
    public static WorkerResponse From(WorkerState worker) =>
        new(worker.Id, worker.LastHeartbeatAt, worker.FreeSlots, worker.RunningJobs, worker.Alive);
}
