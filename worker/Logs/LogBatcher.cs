using System.Buffers;
using System.Text;
using BuildFarm.Protos.V1;
using BuildFarm.Worker.Processes;

namespace BuildFarm.Worker.Logs;

/// <summary>
/// Turns the step's many small writes into chunks of up to 64 KiB, flushed at the latest 50 ms after
/// their first byte, so the coordinator stores few rows and a follower still sees output at once.
/// A change of stream (stdout → stderr) flushes, so every chunk keeps exactly one stream.
/// </summary>
public sealed class LogBatcher : IOutputSink, IDisposable
{
    public const int MaxChunkBytes = 64 * 1024;
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(50);

    private readonly LogShipper _shipper;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly ArrayBufferWriter<byte> _buffer = new(MaxChunkBytes);
    private readonly ITimer _timer;
    private LogStream _stream;
    private DateTimeOffset _firstByteAt;
    private bool _timerArmed;

    public LogBatcher(LogShipper shipper, TimeProvider time)
    {
        _shipper = shipper;
        _time = time;
        _timer = time.CreateTimer(_ => Flush(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public ValueTask WriteAsync(LogStream stream, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        Write(stream, data.Span);
        return ValueTask.CompletedTask;
    }

    /// <summary>A line of the farm's own (phase started/ended, exit codes), marked as SYSTEM.</summary>
    public void System(string line) => Write(LogStream.System, Encoding.UTF8.GetBytes($"[buildfarm] {line}\n"));

    public void Flush()
    {
        lock (_lock)
        {
            FlushLocked();
        }
    }

    public void Dispose() => _timer.Dispose();

    private void Write(LogStream stream, ReadOnlySpan<byte> data)
    {
        lock (_lock)
        {
            if (_buffer.WrittenCount > 0 && stream != _stream)
            {
                FlushLocked();
            }

            _stream = stream;
            while (!data.IsEmpty)
            {
                if (_buffer.WrittenCount == 0)
                {
                    _firstByteAt = _time.GetUtcNow();
                }

                var take = Math.Min(data.Length, MaxChunkBytes - _buffer.WrittenCount);
                _buffer.Write(data[..take]);
                data = data[take..];
                if (_buffer.WrittenCount >= MaxChunkBytes)
                {
                    FlushLocked();
                }
            }

            if (_buffer.WrittenCount > 0 && !_timerArmed)
            {
                _timerArmed = true;
                _timer.Change(MaxDelay, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void FlushLocked()
    {
        if (_buffer.WrittenCount > 0)
        {
            _shipper.Enqueue(_stream, _firstByteAt, _buffer.WrittenMemory);
            _buffer.ResetWrittenCount();
        }

        if (_timerArmed)
        {
            _timerArmed = false;
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }
}
