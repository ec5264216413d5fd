using System.Text;
using BuildFarm.Protos.V1;
using BuildFarm.Worker.Processes;

namespace BuildFarm.Worker.Jobs;

/// <summary>
/// Passes output through and keeps the last bytes of it, so RETRY-regex can be matched against what
/// the failing command printed without keeping the whole phase's output.
/// </summary>
public sealed class OutputTail(IOutputSink inner, int capacity = 64 * 1024) : IOutputSink
{
    private readonly Lock _lock = new();
    private readonly byte[] _ring = new byte[capacity];
    private long _written;

    public async ValueTask WriteAsync(LogStream stream, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var span = data.Span;
            if (span.Length > _ring.Length)
            {
                span = span[^_ring.Length..];
            }

            foreach (var b in span)
            {
                _ring[_written++ % _ring.Length] = b;
            }
        }

        await inner.WriteAsync(stream, data, cancellationToken);
    }

    /// <summary>The kept tail as text (invalid UTF-8 replaced; only for matching), then forgets it.</summary>
    public string TakeText()
    {
        lock (_lock)
        {
            var length = (int)Math.Min(_written, _ring.Length);
            var bytes = new byte[length];
            for (var i = 0; i < length; i++)
            {
                bytes[i] = _ring[(_written - length + i) % _ring.Length];
            }

            _written = 0;
            return Encoding.UTF8.GetString(bytes);
        }
    }
}
