using System.Text;
using BuildFarm.Worker.Processes;

namespace BuildFarm.UnitTests.Worker.Processes;

/// <summary>Keeps every byte per stream, as a real sink would serialize concurrent writes.</summary>
internal sealed class CollectingSink
{
    private readonly Lock _gate = new();
    private readonly Dictionary<OutputStream, MemoryStream> _streams = new()
    {
        [OutputStream.Stdout] = new MemoryStream(),
        [OutputStream.Stderr] = new MemoryStream(),
        [OutputStream.System] = new MemoryStream(),
    };

    public CollectingSink()
    {
        Sink = OutputSinkProxy.Create(WriteAsync);
    }

    public IOutputSink Sink { get; }

    public Task WriteAsync(OutputStream stream, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _streams[stream].Write(data.Span);
        }

        return Task.CompletedTask;
    }

    public byte[] Bytes(OutputStream stream)
    {
        lock (_gate)
        {
            return _streams[stream].ToArray();
        }
    }

    public string Text(OutputStream stream) => Encoding.UTF8.GetString(Bytes(stream));

    /// <summary>Waits (bounded) until stdout holds <paramref name="lines"/> complete lines, and returns them.</summary>
    public async Task<string[]> WaitForStdoutLinesAsync(int lines, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var text = Text(OutputStream.Stdout);
            var complete = text.Split('\n')[..^1];
            if (complete.Length >= lines)
            {
                return complete;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"stdout had {complete.Length} of {lines} lines after {timeout}: '{text}', stderr '{Text(OutputStream.Stderr)}'");
            }

            await Task.Delay(10);
        }
    }
}
