using System.Buffers.Binary;
using System.Globalization;
using BuildFarm.Protos.V1;

namespace BuildFarm.Worker.Logs;

/// <summary>
/// The file behind a <see cref="SpillBuffer"/>: chunks appended at the end and read back from the
/// front, first in first out. Opened on the first append. Methods throw <see cref="IOException"/>
/// (or <see cref="UnauthorizedAccessException"/>) when the disk fails; the buffer decides what that means.
/// </summary>
internal sealed class SpillFile(string directory, Func<string, FileStream> open) : IDisposable
{
    // Data length (4), stream (4), time in UTC ticks (8).
    private const int HeaderBytes = 16;

    // Data lengths of the records the current ReadNext joins.
    private readonly List<int> _run = [];
    private FileStream? _file;
    private long _read;
    private long _write;
    private byte[] _scratch = [];
    private (int Length, LogStream Stream, DateTimeOffset Time)? _next;

    /// <summary>Chunks written and not yet read back.</summary>
    public long Count { get; private set; }

    /// <summary>Their data bytes.</summary>
    public long DataBytes { get; private set; }

    /// <summary>Their size on disk, headers included.</summary>
    public long FileBytes => _write - _read;

    public void Append(LogStream stream, DateTimeOffset time, ReadOnlySpan<byte> data)
    {
        _file ??= open(directory);
        var length = HeaderBytes + data.Length;
        if (_scratch.Length < length)
        {
            _scratch = new byte[length];
        }

        BinaryPrimitives.WriteInt32LittleEndian(_scratch, data.Length);
        BinaryPrimitives.WriteInt32LittleEndian(_scratch.AsSpan(4), (int)stream);
        BinaryPrimitives.WriteInt64LittleEndian(_scratch.AsSpan(8), time.UtcTicks);
        data.CopyTo(_scratch.AsSpan(HeaderBytes));
        // A write cut short by a full disk leaves a partial record past _write; the next record
        // overwrites it, and reads never go past _write.
        RandomAccess.Write(_file.SafeFileHandle, _scratch.AsSpan(0, length), _write);
        _write += length;
        Count++;
        DataBytes += data.Length;
    }

    /// <summary>The data length of the oldest chunk, so the caller can check for room before reading it.</summary>
    public int PeekLength()
    {
        _next ??= ReadHeader(_read) ?? throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"The spill record at {_read} is corrupt."));
        return _next.Value.Length;
    }

    /// <summary>
    /// The oldest chunk joined with the chunks after it that have the same stream, up to
    /// <paramref name="maxBytes"/> of data (the oldest is always taken whole), with the oldest one's time.
    /// </summary>
    /// <remarks>
    /// A step that prints faster than the coordinator stores leaves many small chunks here; sent one by
    /// one they cost a message, a row and an acknowledgement each, so a backlog goes out in big ones.
    /// </remarks>
    public (LogStream Stream, DateTimeOffset Time, byte[] Data) ReadNext(int maxBytes)
    {
        var (length, stream, time) = (PeekLength(), _next!.Value.Stream, _next.Value.Time);
        _run.Clear();
        _run.Add(length);
        var total = length;
        var end = _read + HeaderBytes + length;
        while (end < _write && ReadHeader(end) is { } next && next.Stream == stream && (long)total + next.Length <= maxBytes)
        {
            _run.Add(next.Length);
            total += next.Length;
            end += HeaderBytes + next.Length;
        }

        var data = new byte[total];
        var at = 0;
        var offset = _read;
        foreach (var recordLength in _run)
        {
            ReadExactly(data.AsSpan(at, recordLength), offset + HeaderBytes);
            at += recordLength;
            offset += HeaderBytes + recordLength;
        }

        _next = null;
        _read = end;
        Count -= _run.Count;
        DataBytes -= total;
        if (Count == 0)
        {
            Clear();
        }

        return (stream, time, data);
    }

    /// <summary>
    /// Forgets every record and starts the file over, so it only grows while the coordinator lags
    /// (or what is left in it can no longer be read).
    /// </summary>
    public void Clear()
    {
        _read = _write = Count = DataBytes = 0;
        _next = null;
        try
        {
            if (_file is not null)
            {
                RandomAccess.SetLength(_file.SafeFileHandle, 0);
            }
        }
        catch (IOException)
        {
            // Only the disk space is not given back early; the next records overwrite from the start.
        }
    }

    public void Dispose() => _file?.Dispose();

    /// <summary>A new file in <paramref name="directory"/>, private to the worker's user and already unlinked.</summary>
    public static FileStream OpenUnlinked(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The worker runs on Linux only.");
        }

        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"log-{Guid.NewGuid():N}.spill");
        var file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            // Only RandomAccess touches the handle, so the stream's own buffer would be dead weight.
            BufferSize = 0,
            // The log is the job's data, and masking is best effort: nobody else reads it.
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        try
        {
            // The open handle keeps the data; without a name, a crashed worker leaves nothing behind.
            File.Delete(path);
        }
        catch (IOException)
        {
            // Still usable; only a crash would leave this one file behind in the spill directory.
        }

        return file;
    }

    /// <summary>The header of the record at <paramref name="offset"/>; null when it is not a whole, plausible record.</summary>
    private (int Length, LogStream Stream, DateTimeOffset Time)? ReadHeader(long offset)
    {
        Span<byte> header = stackalloc byte[HeaderBytes];
        ReadExactly(header, offset);
        var length = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (length <= 0 || offset + HeaderBytes + length > _write)
        {
            return null;
        }

        return (length, (LogStream)BinaryPrimitives.ReadInt32LittleEndian(header[4..]), new DateTimeOffset(BinaryPrimitives.ReadInt64LittleEndian(header[8..]), TimeSpan.Zero));
    }

    private void ReadExactly(Span<byte> buffer, long offset)
    {
        while (!buffer.IsEmpty)
        {
            var read = RandomAccess.Read(_file!.SafeFileHandle, buffer, offset);
            if (read == 0)
            {
                throw new EndOfStreamException("The spill file is shorter than what was written to it.");
            }

            buffer = buffer[read..];
            offset += read;
        }
    }
}
