using System.Buffers;

namespace BuildFarm.Worker.Caching;

/// <summary>A fetched and verified chunk's content; disposing gives the store's buffer and the decompression buffer (if any) back.</summary>
internal sealed class DecodedChunk(ReadOnlyMemory<byte> content, IMemoryOwner<byte> stored, byte[]? pooled) : IDisposable
{
    public ReadOnlyMemory<byte> Content { get; } = content;

    public void Dispose()
    {
        stored.Dispose();
        if (pooled is not null)
        {
            ArrayPool<byte>.Shared.Return(pooled);
        }
    }
}
