using BuildFarm.Protos.V1;
using BuildFarm.Worker.Logs;

namespace BuildFarm.UnitTests.Worker.Logs;

/// <summary>Keeps a copy of every chunk a batcher hands over, as the shipper would.</summary>
internal sealed class RecordingChunkSink : ILogChunkSink
{
    private readonly Lock _gate = new();
    private readonly List<(LogStream Stream, DateTimeOffset Time, byte[] Data)> _chunks = [];

    public IReadOnlyList<(LogStream Stream, DateTimeOffset Time, byte[] Data)> Chunks
    {
        get
        {
            lock (_gate)
            {
                return [.. _chunks];
            }
        }
    }

    /// <summary>What the sink asks the batcher for; a test sets it to play a shipper with a backlog.</summary>
    public int NextChunkBytes { get; set; } = LogBatcher.MaxChunkBytes;

    public void Enqueue(LogStream stream, DateTimeOffset time, ReadOnlyMemory<byte> data)
    {
        lock (_gate)
        {
            _chunks.Add((stream, time, data.ToArray()));
        }
    }

    public byte[] Bytes(LogStream stream) => Chunks.Where(c => c.Stream == stream).SelectMany(c => c.Data).ToArray();
}
