using BuildFarm.Protos.V1;
using BuildFarm.Worker.Processes;

namespace BuildFarm.Worker.Jobs;

/// <summary>Keeps a step's stdout in memory up to a cap (the worker reads it, the log never sees it); stderr goes on to the log.</summary>
public sealed class CapturingSink(IOutputSink stderr, int capacity) : IOutputSink
{
    private readonly Lock _lock = new();
    private readonly MemoryStream _stdout = new();

    public bool Overflowed { get; private set; }

    public ReadOnlySpan<byte> Stdout => _stdout.GetBuffer().AsSpan(0, (int)_stdout.Length);

    public ValueTask WriteAsync(LogStream stream, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (stream != LogStream.Stdout)
        {
            return stderr.WriteAsync(stream, data, cancellationToken);
        }

        lock (_lock)
        {
            var room = capacity - (int)_stdout.Length;
            Overflowed |= data.Length > room;
            _stdout.Write(data.Span[..Math.Min(room, data.Length)]);
        }

        return ValueTask.CompletedTask;
    }
}
