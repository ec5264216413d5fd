using BuildFarm.Storage.Caching;

namespace BuildFarm.IntegrationTests.Caching;

/// <summary>A real store, with a count of the blobs that went over the wire each way.</summary>
internal sealed class CountingCacheStore(ICacheStore inner) : ICacheStore
{
    private int _puts;
    private int _gets;

    public int BlobsPut => _puts;

    public int BlobsGot => _gets;

    public string Name => inner.Name;

    public void Reset()
    {
        _puts = 0;
        _gets = 0;
    }

    public Task<bool> HasBlobAsync(string hash, CancellationToken cancellationToken) => inner.HasBlobAsync(hash, cancellationToken);

    public Task PutBlobAsync(string hash, ReadOnlyMemory<byte> compressed, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _puts);
        return inner.PutBlobAsync(hash, compressed, cancellationToken);
    }

    public Task<byte[]?> GetBlobAsync(string hash, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _gets);
        return inner.GetBlobAsync(hash, cancellationToken);
    }

    public Task<bool> TryPublishAsync(CacheEntryInfo entry, ReadOnlyMemory<byte> manifest, CancellationToken cancellationToken) =>
        inner.TryPublishAsync(entry, manifest, cancellationToken);

    public Task<bool> HasEntryAsync(string key, CancellationToken cancellationToken) => inner.HasEntryAsync(key, cancellationToken);

    public Task<byte[]?> GetManifestAsync(string key, CancellationToken cancellationToken) => inner.GetManifestAsync(key, cancellationToken);

    public Task<IReadOnlyList<CacheEntryInfo>> ListEntriesAsync(string prefix, CancellationToken cancellationToken) =>
        inner.ListEntriesAsync(prefix, cancellationToken);

    public Task RecordRestoreAsync(string key, DateTimeOffset at, IReadOnlyCollection<string> blobs, CancellationToken cancellationToken) =>
        inner.RecordRestoreAsync(key, at, blobs, cancellationToken);

    public Task DeleteEntryAsync(string key, CancellationToken cancellationToken) => inner.DeleteEntryAsync(key, cancellationToken);

    public Task<IReadOnlyList<StoredBlob>> ListBlobsAsync(CancellationToken cancellationToken) => inner.ListBlobsAsync(cancellationToken);

    public Task DeleteBlobAsync(string hash, CancellationToken cancellationToken) => inner.DeleteBlobAsync(hash, cancellationToken);
}
