namespace BuildFarm.Coordinator.Persistence.Entities;

/// <summary>A bus message committed with the state change that caused it, sent later by the dispatcher.</summary>
public sealed class OutboxMessage
{
    public long Id { get; set; }
    /// <summary>Full name of a type in BuildFarm.Contracts.</summary>
    public required string MessageType { get; set; }
    public required string Payload { get; set; }
    /// <summary>Queue name for a sent command; null for a published event.</summary>
    public string? Destination { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
}
