using System.Buffers;

namespace BuildFarm.Worker.Caching;

/// <summary>A fetched and verified chunk's content; disposing gives its decompression buffer (if any) back to the pool.</summary>
internal sealed class DecodedChunk(ReadOnlyMemory<byte> content, byte[]? pooled) : IDisposable
{
    public ReadOnlyMemory<byte> Content { get; } = content;

    public void Dispose()
    {
        if (pooled is not null)
        {
            ArrayPool<byte>.Shared.Return(pooled);
        }
    }
}
