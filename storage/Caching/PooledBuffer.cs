using System.Buffers;

namespace BuildFarm.Storage.Caching;

/// <summary>Exactly <c>length</c> bytes of an array from <see cref="ArrayPool{T}.Shared"/>, given back on dispose.</summary>
internal sealed class PooledBuffer(int length) : IMemoryOwner<byte>
{
    private byte[]? _array = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));

    public Memory<byte> Memory => (_array ?? throw new ObjectDisposedException(nameof(PooledBuffer))).AsMemory(0, length);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _array, null) is { } array)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
