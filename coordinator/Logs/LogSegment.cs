namespace BuildFarm.Coordinator.Logs;

/// <summary>
/// A slice of a job's log at a byte offset. The bytes are shared, never copied per reader, so many
/// followers of one job cost one copy of the data.
/// </summary>
public sealed record LogSegment(long Offset, int Stream, DateTimeOffset Time, ReadOnlyMemory<byte> Data)
{
    public long End => Offset + Data.Length;

    /// <summary>The part of this segment at or after <paramref name="offset"/>.</summary>
    public LogSegment From(long offset) =>
        offset <= Offset ? this : this with { Offset = offset, Data = Data[(int)(offset - Offset)..] };
}
