namespace BuildFarm.Coordinator.Persistence.Entities;

/// <summary>An immutable definition; a change is a new row, and runs point at the row they used.</summary>
public sealed class PipelineVersion
{
    public Guid Id { get; set; }
    public Guid PipelineId { get; set; }
    public int Version { get; set; }
    public required string FileName { get; set; }
    public required string Definition { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
