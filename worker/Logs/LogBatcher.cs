using System.Buffers;
using System.Globalization;
using System.Text;
using BuildFarm.Protos.V1;
using BuildFarm.Worker.Options;
using BuildFarm.Worker.Processes;

namespace BuildFarm.Worker.Logs;

/// <summary>
/// Turns the step's many small writes into chunks of up to 64 KiB, flushed at the latest 50 ms after
/// their first byte, so the coordinator stores few rows and a follower still sees output at once.
/// A change of stream (stdout → stderr) flushes, so every chunk keeps exactly one stream. While the
/// target has a backlog it asks for bigger chunks (<see cref="ILogChunkSink.NextChunkBytes"/>), and a
/// step printing at full speed then costs a message, a row and an acknowledgement per MiB, not per 64 KiB.
/// </summary>
/// <remarks>
/// It also applies the job's size cap: output past <c>maxLogBytes</c> is counted and dropped after
/// one SYSTEM marker line, and the step keeps running (printing too much is not a build failure,
/// and killing the step would hide why it printed so much). The farm's own lines
/// (<see cref="System"/>) do not count and are never dropped, so the job's ending stays visible.
/// </remarks>
public sealed class LogBatcher : IOutputSink, IDisposable
{
    public const int MaxChunkBytes = 64 * 1024;
    /// <summary>The most a target may ask for in <see cref="ILogChunkSink.NextChunkBytes"/>.</summary>
    public const int MaxBacklogChunkBytes = 1024 * 1024;
    /// <summary>The longest a byte waits to be sent when the constructor is not told otherwise.</summary>
    public static readonly TimeSpan DefaultMaxDelay = TimeSpan.FromMilliseconds(50);
    private readonly TimeSpan _maxDelay;

    private readonly ILogChunkSink _target;
    private readonly TimeProvider _time;
    private readonly long _maxLogBytes;
    private readonly Lock _lock = new();
    private readonly ArrayBufferWriter<byte> _buffer = new(MaxChunkBytes);
    private readonly ITimer _timer;
    private LogStream _stream;
    private int _chunkBytes = MaxChunkBytes;
    private DateTimeOffset _firstByteAt;
    private bool _timerArmed;
    private long _outputBytes;
    private long _droppedBytes;

    public LogBatcher(ILogChunkSink target, TimeProvider time)
        : this(target, time, LogOptions.DefaultMaxLogBytes)
    {
    }

    public LogBatcher(ILogChunkSink target, TimeProvider time, long maxLogBytes)
        : this(target, time, maxLogBytes, DefaultMaxDelay)
    {
    }

    public LogBatcher(ILogChunkSink target, TimeProvider time, long maxLogBytes, TimeSpan maxDelay)
    {
        _maxDelay = maxDelay;
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfNegative(maxLogBytes);
        _target = target;
        _time = time;
        _maxLogBytes = maxLogBytes;
        _timer = time.CreateTimer(_ => Flush(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Bytes the step wrote (stdout, stderr and its SYSTEM notes), including dropped ones.</summary>
    public long OutputBytes
    {
        get
        {
            lock (_lock)
            {
                return _outputBytes;
            }
        }
    }

    /// <summary>Bytes of the step's output dropped because the log reached its cap.</summary>
    public long DroppedBytes
    {
        get
        {
            lock (_lock)
            {
                return _droppedBytes;
            }
        }
    }

    /// <summary>Whether the cap was reached and the truncation marker written.</summary>
    public bool Truncated => OutputBytes > _maxLogBytes;

    public ValueTask WriteAsync(LogStream stream, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var room = Math.Max(0, _maxLogBytes - _outputBytes);
            _outputBytes += data.Length;
            if (data.Length <= room)
            {
                AppendLocked(stream, data.Span);
                return ValueTask.CompletedTask;
            }

            // The write crosses the cap: keep what fits, byte-exact, then say so once.
            AppendLocked(stream, data.Span[..(int)room]);
            _droppedBytes += data.Length - room;
            if (_outputBytes - data.Length <= _maxLogBytes)
            {
                AppendLocked(LogStream.System, Encoding.UTF8.GetBytes(string.Create(
                    CultureInfo.InvariantCulture,
                    $"[buildfarm] log truncated: the job printed more than {_maxLogBytes} bytes; the step keeps running\n")));
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>A line of the farm's own (phase started/ended, exit codes), marked as SYSTEM.</summary>
    public void System(string line)
    {
        var bytes = Encoding.UTF8.GetBytes($"[buildfarm] {line}\n");
        lock (_lock)
        {
            AppendLocked(LogStream.System, bytes);
        }
    }

    public void Flush()
    {
        lock (_lock)
        {
            FlushLocked();
        }
    }

    public void Dispose() => _timer.Dispose();

    private void AppendLocked(LogStream stream, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

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
                _chunkBytes = Math.Clamp(_target.NextChunkBytes, 1, MaxBacklogChunkBytes);
            }

            var take = Math.Min(data.Length, _chunkBytes - _buffer.WrittenCount);
            _buffer.Write(data[..take]);
            data = data[take..];
            if (_buffer.WrittenCount >= _chunkBytes)
            {
                FlushLocked();
            }
        }

        if (_buffer.WrittenCount > 0 && !_timerArmed)
        {
            _timerArmed = true;
            _timer.Change(_maxDelay, Timeout.InfiniteTimeSpan);
        }
    }

    private void FlushLocked()
    {
        if (_buffer.WrittenCount > 0)
        {
            _target.Enqueue(_stream, _firstByteAt, _buffer.WrittenMemory);
            _buffer.ResetWrittenCount();
        }

        if (_timerArmed)
        {
            _timerArmed = false;
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }
}
