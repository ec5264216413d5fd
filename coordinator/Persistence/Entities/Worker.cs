using BuildFarm.Coordinator.Runs.Scheduling;

namespace BuildFarm.Coordinator.Persistence.Entities;

public sealed class Worker
{
    public required string Id { get; set; }
    public DateTimeOffset LastHeartbeatAt { get; set; }
    public int FreeSlots { get; set; }

    /// <summary>Worker:Labels as of its last heartbeat.</summary>
    public List<string> Labels { get; set; } = [];

    /// <summary>Only an Active worker's claims are granted; heartbeats never change it.</summary>
    public WorkerMode Mode { get; set; }
}
