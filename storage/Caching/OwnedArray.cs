using System.Buffers;

namespace BuildFarm.Storage.Caching;

/// <summary>An ordinary array as an <see cref="IMemoryOwner{T}"/>, for stores that cannot lend pooled buffers; the GC takes it.</summary>
internal sealed class OwnedArray(byte[] array) : IMemoryOwner<byte>
{
    public Memory<byte> Memory { get; } = array;

    public void Dispose()
    {
        // Nothing pooled to give back.
    }
}
