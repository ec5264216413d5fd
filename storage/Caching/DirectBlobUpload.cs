namespace BuildFarm.Storage.Caching;

/// <summary>An upload for stores whose every blob is one write that needs no batching (Redis pipelines, a directory).</summary>
internal sealed class DirectBlobUpload(ICacheStore store) : IBlobUpload
{
    public Task<bool> HasBlobAsync(string hash, CancellationToken cancellationToken) => store.HasBlobAsync(hash, cancellationToken);

    public Task PutBlobAsync(string hash, ReadOnlyMemory<byte> compressed, CancellationToken cancellationToken) =>
        store.PutBlobAsync(hash, compressed, cancellationToken);

    public Task CompleteAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
