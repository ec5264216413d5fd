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
        if (_next is null)
        {
            Span<byte> header = stackalloc byte[HeaderBytes];
            ReadExactly(header, _read);
            var length = BinaryPrimitives.ReadInt32LittleEndian(header);
            if (length <= 0 || _read + HeaderBytes + length > _write)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"The spill record at {_read} is corrupt."));
            }

            _next = (length, (LogStream)BinaryPrimitives.ReadInt32LittleEndian(header[4..]), new DateTimeOffset(BinaryPrimitives.ReadInt64LittleEndian(header[8..]), TimeSpan.Zero));
        }

        return _next.Value.Length;
    }

    public (LogStream Stream, DateTimeOffset Time, byte[] Data) ReadNext()
    {
        PeekLength();
        var (length, stream, time) = _next!.Value;
        var data = new byte[length];
        ReadExactly(data, _read + HeaderBytes);
        _next = null;
        _read += HeaderBytes + length;
        Count--;
        DataBytes -= length;
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
