using System.Buffers;

namespace BuildFarm.Storage.Caching;

/// <summary>
/// Where cache entries live: blobs (compressed chunks, named by the SHA-256 of their raw bytes, so
/// each is stored once and never changes) and manifests under keys. A manifest is published only
/// after every blob it names is stored, and a key once published is never overwritten.
/// </summary>
public interface ICacheStore
{
    /// <summary>For log lines: "Redis", "S3", "FileSystem".</summary>
    string Name { get; }

    /// <summary>For each hash, whether its blob is stored (and, where the store has expiry, keeps it alive).</summary>
    Task<bool> HasBlobAsync(string hash, CancellationToken cancellationToken);

    /// <summary>Stores a compressed chunk under its hash; storing a hash again is harmless (same content).</summary>
    Task PutBlobAsync(string hash, ReadOnlyMemory<byte> compressed, CancellationToken cancellationToken);

    /// <summary>The compressed chunk, or null when the store does not have it.</summary>
    Task<byte[]?> GetBlobAsync(string hash, CancellationToken cancellationToken);

    /// <summary>
    /// The compressed chunk in a buffer the caller disposes, or null. A store that can lends it
    /// from a pool, so a restore does not allocate (and the GC clear and collect) a chunk-sized
    /// array for every blob; the others wrap <see cref="GetBlobAsync"/>.
    /// </summary>
    async Task<IMemoryOwner<byte>?> RentBlobAsync(string hash, CancellationToken cancellationToken) =>
        await GetBlobAsync(hash, cancellationToken) is { } blob ? new OwnedArray(blob) : null;

    /// <summary>Publishes an entry; false, and nothing changed, when the key already has one.</summary>
    Task<bool> TryPublishAsync(CacheEntryInfo entry, ReadOnlyMemory<byte> manifest, CancellationToken cancellationToken);

    Task<bool> HasEntryAsync(string key, CancellationToken cancellationToken);

    /// <summary>The stored (compressed) manifest, or null.</summary>
    Task<byte[]?> GetManifestAsync(string key, CancellationToken cancellationToken);

    /// <summary>Entries whose key starts with <paramref name="prefix"/> ("" for all), any order.</summary>
    Task<IReadOnlyList<CacheEntryInfo>> ListEntriesAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>Counts a restore of the entry (for eviction: least recently restored goes first).</summary>
    Task RecordRestoreAsync(string key, DateTimeOffset at, IReadOnlyCollection<string> blobs, CancellationToken cancellationToken);

    Task DeleteEntryAsync(string key, CancellationToken cancellationToken);

    /// <summary>Every stored blob with when it was written, for the unreferenced-blob sweep.</summary>
    Task<IReadOnlyList<StoredBlob>> ListBlobsAsync(CancellationToken cancellationToken);

    Task DeleteBlobAsync(string hash, CancellationToken cancellationToken);
}
