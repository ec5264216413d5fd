namespace BuildFarm.Coordinator.Logs;

/// <summary>
/// A chunk of a live job's memory tail. An ingested chunk stays as it was stored (zstd, mostly) until a
/// follower first reads it, then every follower shares that one decoded copy: a job nobody follows
/// costs the coordinator no decoding, and a thousand followers cost one.
/// </summary>
/// <remarks>Not thread-safe: <see cref="LiveLog"/> reads it under its lock.</remarks>
internal sealed class LiveChunk
{
    private Persistence.Entities.LogChunk? _stored;
    private LogSegment? _segment;

    public LiveChunk(LogSegment segment)
    {
        Offset = segment.Offset;
        Length = segment.Data.Length;
        _segment = segment;
    }

    public LiveChunk(Persistence.Entities.LogChunk stored)
    {
        Offset = stored.Offset;
        Length = stored.Length;
        _stored = stored;
    }

    public long Offset { get; }

    /// <summary>Decoded bytes.</summary>
    public int Length { get; }

    public long End => Offset + Length;

    public LogSegment Segment
    {
        get
        {
            if (_segment is null)
            {
                var stored = _stored!;
                _segment = new LogSegment(stored.Offset, stored.Stream, stored.Time, stored.Decode());
                _stored = null;
            }

            return _segment;
        }
    }
}
