namespace BuildFarm.Coordinator.Persistence.Entities;

/// <summary>A stored slice of a job's log; the key (job, seq) makes a resent chunk a no-op.</summary>
public sealed class LogChunk
{
    public Guid JobId { get; set; }
    public long Seq { get; set; }
    /// <summary>Byte offset of <see cref="Data"/> in the job's whole log.</summary>
    public long Offset { get; set; }
    /// <summary>Stored beside the data so a reader can seek by offset in SQL on any provider.</summary>
    public int Length { get; set; }
    public int Stream { get; set; }
    public DateTimeOffset Time { get; set; }
    public required byte[] Data { get; set; }
}
