using System.Buffers;
using System.Globalization;
using BuildFarm.Core.Compression;
using ZstdSharp;

namespace BuildFarm.Core.Logs;

/// <summary>
/// zstd for log chunks: the worker encodes a chunk once, after masking and batching, and the
/// coordinator ships, stores and keeps it that way until a reader needs the bytes. Build output is
/// repetitive, so a fast level shrinks it several times over; a chunk that would not shrink enough
/// to pay for its decoding stays raw.
/// </summary>
/// <remarks>
/// Offsets, ranges, tails and the per-job cap all count decoded bytes: a chunk's decoded length
/// travels and is stored beside its data.
/// </remarks>
public static class LogChunkCodec
{
    /// <summary>zstd's fastest regular level: a step's output is encoded on the worker while the step runs.</summary>
    public const int DefaultLevel = 1;

    /// <summary>The longest a decoded chunk may be (a worker's are at most 1 MiB); longer is refused, not allocated.</summary>
    public const int MaxDecodedBytes = 16 * 1024 * 1024;

    // Smaller chunks (a farm line, a prompt) gain a few bytes at most.
    private const int MinEncodedBytes = 256;

    /// <summary>
    /// <paramref name="raw"/> as a zstd frame at <paramref name="level"/>; null when the chunk should
    /// stay raw: it saves less than an eighth, is tiny, or <paramref name="level"/> is 0 (compression off).
    /// </summary>
    public static byte[]? Compress(ReadOnlySpan<byte> raw, int level)
    {
        if (level == 0 || raw.Length < MinEncodedBytes)
        {
            return null;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Compressor.GetCompressBound(raw.Length));
        try
        {
            var written = ZstdContexts.Compressing(level).Wrap(raw, buffer);
            return written > raw.Length - (raw.Length / 8) ? null : buffer.AsSpan(0, written).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Checks, from the frame header alone, that <paramref name="stored"/> says it decodes to
    /// <paramref name="length"/> bytes: what the coordinator can afford on every chunk it ingests,
    /// decoding only when a reader asks.
    /// </summary>
    /// <exception cref="InvalidDataException">Unknown encoding, not a zstd frame, or another length.</exception>
    public static void CheckLength(LogChunkEncoding encoding, ReadOnlySpan<byte> stored, int length)
    {
        if (encoding == LogChunkEncoding.Raw && stored.Length == length)
        {
            return;
        }

        ulong declared;
        try
        {
            declared = encoding == LogChunkEncoding.Zstd ? Decompressor.GetDecompressedSize(stored) : ulong.MaxValue;
        }
        catch (ZstdException ex)
        {
            throw new InvalidDataException($"A zstd log chunk has no readable frame header: {ex.Message}", ex);
        }

        if (declared != (ulong)length || length > MaxDecodedBytes)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"A {encoding} log chunk of {stored.Length} bytes does not say it decodes to {length} bytes."));
        }
    }

    /// <summary>The <paramref name="length"/> bytes <paramref name="stored"/> decodes to; a raw chunk is returned as it is.</summary>
    /// <exception cref="InvalidDataException">Unknown encoding, not a zstd frame, or another length.</exception>
    public static byte[] Decode(LogChunkEncoding encoding, byte[] stored, int length)
    {
        ArgumentNullException.ThrowIfNull(stored);
        switch (encoding)
        {
            case LogChunkEncoding.Raw:
                return stored;
            case LogChunkEncoding.Zstd:
                break;
            default:
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"Unknown log chunk encoding {(int)encoding}."));
        }

        if (length is < 0 or > MaxDecodedBytes)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"A log chunk may decode to at most {MaxDecodedBytes} bytes, not {length}."));
        }

        var decoded = new byte[length];
        int written;
        try
        {
            written = ZstdContexts.Decompressing.Unwrap(stored, decoded);
        }
        catch (Exception ex) when (ex is ZstdException or ArgumentException)
        {
            // ZstdSharp reports a frame longer than the destination as an ArgumentException.
            throw new InvalidDataException($"A zstd log chunk does not decode to its {length} bytes: {ex.Message}", ex);
        }

        if (written != length)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"A zstd log chunk decodes to {written} bytes, not {length}."));
        }

        return decoded;
    }
}
