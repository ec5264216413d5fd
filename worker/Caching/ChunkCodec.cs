using System.Buffers;
using System.Security.Cryptography;
using BuildFarm.Core.Compression;
using ZstdSharp;

namespace BuildFarm.Worker.Caching;

/// <summary>
/// zstd for chunks and manifests. A chunk is compressed on its own (a frame per blob), so any blob
/// can be fetched, checked and used alone; decompression is always followed by a SHA-256 check
/// against the blob's name, which catches corruption in the store or on the wire.
/// </summary>
internal sealed class ChunkCodec(int level)
{
    private const int SampleBytes = 64 * 1024;

    // Below this a chunk is compressed whole; above it a quarter (at most SampleBytes) decides, so
    // the many small jars of a Gradle home are not run through zstd for nothing either.
    private const int SampledFromBytes = 16 * 1024;

    // Not a zstd frame's magic (28 B5 2F FD), so the two kinds of blob can never be confused.
    private static ReadOnlySpan<byte> RawMarker => "BFR0"u8;

    /// <summary>
    /// Compresses into a pooled buffer; the caller returns <paramref name="buffer"/> to
    /// <see cref="ArrayPool{T}.Shared"/>. Content that does not compress (jars are zip files
    /// already) is stored as it is behind a marker: a sample decides, so incompressible chunks cost
    /// a copy instead of a full zstd pass that would save nothing.
    /// </summary>
    public ReadOnlyMemory<byte> Compress(ReadOnlySpan<byte> raw, out byte[] buffer)
    {
        var compressor = ZstdContexts.Compressing(level);
        if (raw.Length >= SampledFromBytes)
        {
            var sampleBytes = Math.Min(SampleBytes, raw.Length / 4);
            var sample = ArrayPool<byte>.Shared.Rent(Compressor.GetCompressBound(sampleBytes));
            try
            {
                if (compressor.Wrap(raw[..sampleBytes], sample) > sampleBytes * 97 / 100)
                {
                    buffer = ArrayPool<byte>.Shared.Rent(raw.Length + RawMarker.Length);
                    RawMarker.CopyTo(buffer);
                    raw.CopyTo(buffer.AsSpan(RawMarker.Length));
                    return buffer.AsMemory(0, raw.Length + RawMarker.Length);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(sample);
            }
        }

        buffer = ArrayPool<byte>.Shared.Rent(Compressor.GetCompressBound(raw.Length));
        var written = compressor.Wrap(raw, buffer);
        return buffer.AsMemory(0, written);
    }

    public byte[] CompressManifest(ReadOnlySpan<byte> json) => ZstdContexts.Compressing(level).Wrap(json).ToArray();

    /// <exception cref="CacheCorruptException">Not a zstd frame.</exception>
    public static byte[] DecompressManifest(ReadOnlySpan<byte> stored)
    {
        try
        {
            return ZstdContexts.Decompressing.Unwrap(stored).ToArray();
        }
        catch (ZstdException ex)
        {
            throw new CacheCorruptException($"A cache manifest does not decompress: {ex.Message}", ex);
        }
    }

    /// <summary>Decompresses a blob into exactly <paramref name="destination"/> and checks it hashes to <paramref name="hash"/>.</summary>
    /// <exception cref="CacheCorruptException">Wrong length, not zstd, or other content.</exception>
    public static void DecompressVerified(ReadOnlySpan<byte> stored, Span<byte> destination, string hash)
    {
        if (stored.StartsWith(RawMarker))
        {
            var content = stored[RawMarker.Length..];
            Verify(content, destination.Length, hash);
            content.CopyTo(destination);
            return;
        }

        Verify(destination[..Unwrap(stored, destination, hash)], destination.Length, hash);
    }

    /// <summary>
    /// The verified content of a blob of <paramref name="length"/> bytes. A raw blob's content is
    /// used where it lies in <paramref name="stored"/>, so restoring a jar copies it no extra time;
    /// a zstd frame is decompressed into <paramref name="pooled"/>, which the caller returns to
    /// <see cref="ArrayPool{T}.Shared"/>.
    /// </summary>
    /// <exception cref="CacheCorruptException">Wrong length, not zstd, or other content.</exception>
    public static ReadOnlyMemory<byte> DecodeVerified(ReadOnlyMemory<byte> stored, int length, string hash, out byte[]? pooled)
    {
        if (stored.Span.StartsWith(RawMarker))
        {
            pooled = null;
            var content = stored[RawMarker.Length..];
            Verify(content.Span, length, hash);
            return content;
        }

        pooled = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        try
        {
            var written = Unwrap(stored.Span, pooled.AsSpan(0, length), hash);
            Verify(pooled.AsSpan(0, written), length, hash);
            return pooled.AsMemory(0, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(pooled);
            pooled = null;
            throw;
        }
    }

    private static int Unwrap(ReadOnlySpan<byte> stored, Span<byte> destination, string hash)
    {
        try
        {
            return ZstdContexts.Decompressing.Unwrap(stored, destination);
        }
        catch (ZstdException ex)
        {
            throw new CacheCorruptException($"Blob {hash} does not decompress: {ex.Message}", ex);
        }
        catch (ArgumentException ex)
        {
            // ZstdSharp reports a frame larger than the destination this way.
            throw new CacheCorruptException($"Blob {hash} is longer than its manifest says.", ex);
        }
    }

    private static void Verify(ReadOnlySpan<byte> content, int length, string hash)
    {
        Span<byte> actual = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(content, actual);
        if (content.Length != length || !string.Equals(Convert.ToHexStringLower(actual), hash, StringComparison.Ordinal))
        {
            throw new CacheCorruptException($"Blob {hash} does not match its hash ({content.Length} of {length} bytes).");
        }
    }
}
