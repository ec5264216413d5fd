using BuildFarm.Storage.Caching;

namespace BuildFarm.IntegrationTests.Caching;

/// <summary>A real store, with a count of the blobs that went over the wire each way (batched and packed ones too).</summary>
/// <param name="inner">The store.</param>
/// <param name="uploadBlobByBlob">Saves write every blob on its own, as workers did before S3 packs.</param>
internal sealed class CountingCacheStore(ICacheStore inner, bool uploadBlobByBlob = false) : ICacheStore
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

    public IBlobUpload BeginUpload() =>
        uploadBlobByBlob ? new DirectBlobUpload(this) : new CountingUpload(inner.BeginUpload(), () => Interlocked.Increment(ref _puts));

    public Task FetchBlobsAsync(IReadOnlyCollection<string> hashes, int parallelism, BlobReceiver receive, CancellationToken cancellationToken) =>
        inner.FetchBlobsAsync(hashes, parallelism, (hash, stored, token) =>
        {
            if (stored is not null)
            {
                Interlocked.Increment(ref _gets);
            }

            return receive(hash, stored, token);
        }, cancellationToken);

    public Task<int> DeleteUnreferencedBlobsAsync(IReadOnlySet<string> referenced, DateTimeOffset writtenBefore, CancellationToken cancellationToken) =>
        inner.DeleteUnreferencedBlobsAsync(referenced, writtenBefore, cancellationToken);

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

    private sealed class CountingUpload(IBlobUpload inner, Action put) : IBlobUpload
    {
        public Task<bool> HasBlobAsync(string hash, CancellationToken cancellationToken) => inner.HasBlobAsync(hash, cancellationToken);

        public Task PutBlobAsync(string hash, ReadOnlyMemory<byte> compressed, CancellationToken cancellationToken)
        {
            put();
            return inner.PutBlobAsync(hash, compressed, cancellationToken);
        }

        public Task CompleteAsync(CancellationToken cancellationToken) => inner.CompleteAsync(cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
