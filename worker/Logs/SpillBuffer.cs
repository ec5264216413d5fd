using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using BuildFarm.Protos.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace BuildFarm.Worker.Logs;

/// <summary>
/// One job's log chunks that the coordinator has not acknowledged yet, in order. The oldest stay in
/// memory up to a budget; newer ones wait in a file and move into memory as acknowledgements free
/// room, so a step can print gigabytes to a coordinator that is slow or away without the worker
/// growing. Not thread-safe: <see cref="LogShipper"/> serializes every call.
/// </summary>
/// <remarks>
/// <para>Sequence numbers are given when a chunk enters memory, not when it is appended. If the file
/// fails (disk full, unreadable), the chunks that could not be kept never had a number, so the
/// coordinator, which refuses gaps, still sees a gap-free log, and a SYSTEM marker saying how many
/// bytes were lost takes their place. Until that marker is in memory, newer chunks are dropped
/// and counted too, because keeping them would mean putting them out of order or beyond the
/// budget.</para>
/// <para>Chunks coming back from the file are joined, per stream, up to <see cref="MaxJoinedChunkBytes"/>:
/// a backlog exists only when the coordinator lags, and then fewer, bigger chunks (fewer messages, rows
/// and acknowledgements) are what lets it catch up.</para>
/// <para>The file is unlinked as soon as it is open (the worker runs on Linux only), so a crashed
/// worker leaves nothing behind, and it is emptied whenever every spilled chunk has moved back into
/// memory.</para>
/// </remarks>
public sealed class SpillBuffer : IDisposable
{
    /// <summary>The most data one chunk gets when spilled chunks of one stream are joined on their way back.</summary>
    public const int MaxJoinedChunkBytes = LogBatcher.MaxBacklogChunkBytes;

    // Accounted for every chunk in memory on top of its data, so that many tiny chunks also count.
    internal const int ChunkOverheadBytes = 128;

    private readonly long _memoryBudget;
    private readonly int _maxJoinedBytes;
    private readonly SpillFile _file;
    private readonly TimeProvider _time;
    // Unacknowledged chunks [acked + 1 .. lastSeq], oldest at _memoryHead.
    private readonly List<LogChunk> _memory = [];
    private int _memoryHead;
    private long _acked;
    private long _lastSeq;
    private bool _markerPending;
    private long _lostSinceMarker;
    private DateTimeOffset _firstLostAt;
    private bool _disposed;

    /// <param name="directory">Where the spill file goes; created when first needed.</param>
    /// <param name="memoryBudgetBytes">Bytes of chunks (plus a per-chunk overhead) kept in memory.</param>
    /// <param name="time">For the time of a loss marker.</param>
    /// <param name="seqStart">The last sequence earlier attempts of the job stored: the first chunk gets the next one.</param>
    public SpillBuffer(string directory, long memoryBudgetBytes, TimeProvider time, long seqStart = 0)
        : this(directory, memoryBudgetBytes, time, SpillFile.OpenUnlinked, seqStart)
    {
    }

    /// <summary>
    /// For tests: <paramref name="openFile"/> gets the directory and returns the file to spill to;
    /// spilled chunks of one stream are joined up to <paramref name="maxJoinedBytes"/> (1: never).
    /// </summary>
    internal SpillBuffer(string directory, long memoryBudgetBytes, TimeProvider time, Func<string, FileStream> openFile, long seqStart = 0, int maxJoinedBytes = MaxJoinedChunkBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxJoinedBytes);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(memoryBudgetBytes);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfNegative(seqStart);
        _memoryBudget = memoryBudgetBytes;
        _maxJoinedBytes = maxJoinedBytes;
        _time = time;
        _file = new SpillFile(directory, openFile);
        _acked = _lastSeq = seqStart;
    }

    /// <summary>Highest sequence the coordinator acknowledged.</summary>
    public long Acked => _acked;

    /// <summary>Highest sequence given to a chunk so far.</summary>
    public long LastSeq => _lastSeq;

    /// <summary>Chunks appended but not yet numbered: in the file, or a loss marker still to write.</summary>
    public bool HasBacklog => _file.Count > 0 || _markerPending;

    /// <summary>Everything appended so far is acknowledged (or accounted for by an acknowledged marker).</summary>
    public bool IsDrained => _acked == _lastSeq && !HasBacklog;

    /// <summary>Bytes held in memory now, per-chunk overhead included; at most the budget.</summary>
    public long MemoryBytes { get; private set; }

    public long PeakMemoryBytes { get; private set; }

    /// <summary>Bytes in the spill file not yet moved back into memory.</summary>
    public long SpilledBytes => _file.FileBytes;

    /// <summary>Data bytes ever written to the spill file.</summary>
    public long TotalSpilledBytes { get; private set; }

    /// <summary>Data bytes dropped because the spill file failed; the log says so with a marker.</summary>
    public long LostBytes { get; private set; }

    /// <summary>How many times the spill file failed; each failure ends in one marker in the log.</summary>
    public int FailureCount { get; private set; }

    public Exception? LastFailure { get; private set; }

    /// <summary>Keeps a copy of <paramref name="data"/>; never waits for the coordinator.</summary>
    public void Append(LogStream stream, DateTimeOffset time, ReadOnlySpan<byte> data)
    {
        if (_disposed || data.IsEmpty)
        {
            return;
        }

        if (_markerPending && !TryAdmitMarker())
        {
            Lose(data.Length, time);
            return;
        }

        if (_file.Count == 0 && HasRoom(data.Length))
        {
            Admit(stream, time, ByteString.CopyFrom(data));
            return;
        }

        try
        {
            _file.Append(stream, time, data);
            TotalSpilledBytes += data.Length;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Disk full or the directory is gone: the step must not notice, so record the loss
            // and let the marker tell the reader of the log.
            Fail(ex);
            Lose(data.Length, time);
        }
    }

    /// <summary>
    /// The chunk numbered <paramref name="seq"/>, moving spilled chunks into memory when there is
    /// room; false when it does not exist yet or memory is full of chunks awaiting acknowledgement.
    /// </summary>
    public bool TryGet(long seq, [MaybeNullWhen(false)] out LogChunk chunk)
    {
        chunk = null;
        if (_disposed || seq <= _acked)
        {
            return false;
        }

        while (seq > _lastSeq)
        {
            if (!TryPromote())
            {
                return false;
            }
        }

        chunk = _memory[_memoryHead + (int)(seq - _acked - 1)];
        return true;
    }

    /// <summary>The coordinator stored every chunk up to <paramref name="seq"/>; their memory is freed.</summary>
    public void Ack(long seq)
    {
        if (seq <= _acked)
        {
            return;
        }

        if (seq > _lastSeq)
        {
            Rebase(seq);
            return;
        }

        for (; _acked < seq; _acked++)
        {
            MemoryBytes -= _memory[_memoryHead].Data.Length + ChunkOverheadBytes;
            // Dropped now for the GC; the slot itself goes in the next compaction.
            _memory[_memoryHead++] = null!;
        }

        if (_memoryHead > 1024 && _memoryHead * 2 > _memory.Count)
        {
            _memory.RemoveRange(0, _memoryHead);
            _memoryHead = 0;
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _file.Dispose();
        _memory.Clear();
        MemoryBytes = 0;
    }

    private bool HasRoom(long dataBytes) =>
        _memory.Count == _memoryHead || MemoryBytes + dataBytes + ChunkOverheadBytes <= _memoryBudget;

    private void Admit(LogStream stream, DateTimeOffset time, ByteString data)
    {
        _memory.Add(new LogChunk { Seq = ++_lastSeq, Stream = stream, Time = Timestamp.FromDateTimeOffset(time), Data = data });
        MemoryBytes += data.Length + ChunkOverheadBytes;
        PeakMemoryBytes = Math.Max(PeakMemoryBytes, MemoryBytes);
    }

    /// <summary>
    /// The coordinator holds more of the job's log than this attempt numbered: an earlier attempt
    /// stored it after the claim reported where to start. Numbering on from there keeps this
    /// attempt's chunks from being taken for duplicates and dropped.
    /// </summary>
    private void Rebase(long seq)
    {
        var shift = seq - _acked;
        for (var i = _memoryHead; i < _memory.Count; i++)
        {
            // New objects: a chunk handed out earlier may still be serializing.
            _memory[i] = new LogChunk(_memory[i]) { Seq = _memory[i].Seq + shift };
        }

        _acked = seq;
        _lastSeq += shift;
    }

    /// <summary>Moves the oldest spilled chunk (or the pending marker) into memory; false if there is none or no room.</summary>
    private bool TryPromote()
    {
        if (_file.Count == 0)
        {
            return _markerPending && TryAdmitMarker();
        }

        try
        {
            var oldest = _file.PeekLength();
            if (!HasRoom(oldest))
            {
                return false;
            }

            // Joined chunks take what room the budget has left (at least the oldest chunk whole).
            var room = _memory.Count == _memoryHead ? long.MaxValue : _memoryBudget - MemoryBytes - ChunkOverheadBytes;
            var (stream, time, data) = _file.ReadNext((int)Math.Max(oldest, Math.Min(_maxJoinedBytes, room)));
            Admit(stream, time, UnsafeByteOperations.UnsafeWrap(data));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            // What is still in the file cannot be read back: it is lost, and the marker says how much.
            Fail(ex);
            Lose(_file.DataBytes, _time.GetUtcNow());
            _file.Clear();
        }

        return true;
    }

    private bool TryAdmitMarker()
    {
        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"[buildfarm] log incomplete: {_lostSinceMarker} bytes of output were lost because the worker could not spill the log to disk ({LastFailure?.Message}); the step keeps running\n");
        var marker = Encoding.UTF8.GetBytes(text);
        // Only once memory is half free: a disk that stays full then gives one marker per stretch
        // of lost output, not one per chunk squeezed into the last few bytes of the budget.
        var halfFree = _memory.Count == _memoryHead || MemoryBytes + marker.Length + ChunkOverheadBytes <= _memoryBudget / 2;
        if (_file.Count > 0 || !halfFree)
        {
            return false;
        }

        Admit(LogStream.System, _firstLostAt, ByteString.CopyFrom(marker));
        _markerPending = false;
        _lostSinceMarker = 0;
        return true;
    }

    private void Fail(Exception ex)
    {
        LastFailure = ex;
        FailureCount++;
    }

    private void Lose(long bytes, DateTimeOffset time)
    {
        if (!_markerPending)
        {
            _markerPending = true;
            _firstLostAt = time;
        }

        LostBytes += bytes;
        _lostSinceMarker += bytes;
    }
}
