using System.Text;
using BuildFarm.Protos.V1;
using BuildFarm.Worker.Processes;

namespace BuildFarm.UnitTests.Worker.Processes;

/// <summary>Keeps every byte per stream, as a real sink would serialize concurrent writes.</summary>
internal sealed class CollectingSink : IOutputSink
{
    private readonly Lock _gate = new();
    private readonly Dictionary<LogStream, MemoryStream> _streams = new()
    {
        [LogStream.Stdout] = new MemoryStream(),
        [LogStream.Stderr] = new MemoryStream(),
        [LogStream.System] = new MemoryStream(),
    };

    public ValueTask WriteAsync(LogStream stream, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _streams[stream].Write(data.Span);
        }

        return ValueTask.CompletedTask;
    }

    public byte[] Bytes(LogStream stream)
    {
        lock (_gate)
        {
            return _streams[stream].ToArray();
        }
    }

    public string Text(LogStream stream) => Encoding.UTF8.GetString(Bytes(stream));

    /// <summary>Waits (bounded) until stdout holds <paramref name="lines"/> complete lines, and returns them.</summary>
    public async Task<string[]> WaitForStdoutLinesAsync(int lines, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var text = Text(LogStream.Stdout);
            var complete = text.Split('\n')[..^1];
            if (complete.Length >= lines)
            {
                return complete;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"stdout had {complete.Length} of {lines} lines after {timeout}: '{text}', stderr '{Text(LogStream.Stderr)}'");
            }

            await Task.Delay(10);
        }
    }
}
