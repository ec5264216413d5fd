using BuildFarm.Protos.V1;

namespace BuildFarm.Worker.Logs;

/// <summary>Takes finished log chunks (one stream each) from a <see cref="LogBatcher"/>.</summary>
/// <remarks>
/// Called under the batcher's lock, from the step's readers and from its timer: an implementation
/// must not block on the network, and must copy <c>data</c>, which the batcher reuses.
/// </remarks>
public interface ILogChunkSink
{
    void Enqueue(LogStream stream, DateTimeOffset time, ReadOnlyMemory<byte> data);

    /// <summary>
    /// How big the next chunk may grow, asked when it starts: <see cref="LogBatcher.MaxChunkBytes"/>
    /// unless the sink has a backlog, when fewer, bigger chunks are what lets it catch up.
    /// </summary>
    int NextChunkBytes => LogBatcher.MaxChunkBytes;
}
