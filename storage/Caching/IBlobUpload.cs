namespace BuildFarm.Storage.Caching;

/// <summary>
/// The blobs of one save. A store may hold them back (S3 packs small blobs into larger objects),
/// so a save calls <see cref="CompleteAsync"/> before it publishes a manifest that names them.
/// </summary>
public interface IBlobUpload : IAsyncDisposable
{
    /// <summary>Whether the store has the blob, so the save can skip compressing and uploading it.</summary>
    Task<bool> HasBlobAsync(string hash, CancellationToken cancellationToken);

    /// <summary>Stores (or queues) a compressed chunk; the caller may reuse <paramref name="compressed"/> once this returns.</summary>
    Task PutBlobAsync(string hash, ReadOnlyMemory<byte> compressed, CancellationToken cancellationToken);

    /// <summary>Every blob put so far is stored once this returns.</summary>
    Task CompleteAsync(CancellationToken cancellationToken);
}
