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
            // Block copies, not a loop per byte: this runs on every read of a step's output, in the
            // path that decides how fast the step may print.
            var span = data.Span;
            if (span.Length > _ring.Length)
            {
                _written += span.Length - _ring.Length;
                span = span[^_ring.Length..];
            }

            var at = (int)(_written % _ring.Length);
            var first = Math.Min(span.Length, _ring.Length - at);
            span[..first].CopyTo(_ring.AsSpan(at));
            span[first..].CopyTo(_ring);
            _written += span.Length;
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
            var start = (int)((_written - length) % _ring.Length);
            var first = Math.Min(length, _ring.Length - start);
            _ring.AsSpan(start, first).CopyTo(bytes);
            _ring.AsSpan(0, length - first).CopyTo(bytes.AsSpan(first));

            _written = 0;
            return Encoding.UTF8.GetString(bytes);
        }
    }
}
