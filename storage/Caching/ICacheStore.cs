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

    /// <summary>
    /// Starts the blob writes of one save. The default writes each blob through
    /// <see cref="PutBlobAsync"/>; S3 packs small ones, because there a request costs more than its bytes.
    /// </summary>
    IBlobUpload BeginUpload() => new DirectBlobUpload(this);

    /// <summary>
    /// Fetches many blobs, handing each to <paramref name="receive"/> as it arrives: in any order,
    /// up to <paramref name="parallelism"/> at once, exactly once per distinct hash (null for one
    /// the store lacks), the buffer the receiver's to dispose. The default fetches blob by blob;
    /// S3 reads packs with few ranged GETs.
    /// </summary>
    async Task FetchBlobsAsync(IReadOnlyCollection<string> hashes, int parallelism, BlobReceiver receive, CancellationToken cancellationToken) =>
        await Parallel.ForEachAsync(
            hashes.Distinct(StringComparer.Ordinal),
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (hash, token) => await receive(hash, await RentBlobAsync(hash, token), token));

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

    /// <summary>
    /// Deletes the stored blobs not in <paramref name="referenced"/> that were written before
    /// <paramref name="writtenBefore"/>; returns how many went. S3 overrides it because a packed
    /// blob can only go with (or be copied out of) its pack.
    /// </summary>
    async Task<int> DeleteUnreferencedBlobsAsync(IReadOnlySet<string> referenced, DateTimeOffset writtenBefore, CancellationToken cancellationToken)
    {
        var deleted = 0;
        foreach (var blob in await ListBlobsAsync(cancellationToken))
        {
            if (!referenced.Contains(blob.Hash) && blob.WrittenAt < writtenBefore)
            {
                await DeleteBlobAsync(blob.Hash, cancellationToken);
                deleted++;
            }
        }

        return deleted;
    }
}
