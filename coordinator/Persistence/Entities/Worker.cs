namespace BuildFarm.Coordinator.Persistence.Entities;

public sealed class Worker
{
    public required string Id { get; set; }
    public DateTimeOffset LastHeartbeatAt { get; set; }
    public int FreeSlots { get; set; }
}
