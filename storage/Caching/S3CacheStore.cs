using System.Buffers;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;

namespace BuildFarm.Storage.Caching;

/// <summary>
/// The store in an S3 bucket (AWS, MinIO, s3rver), laid out as <see cref="S3CacheLayout"/> says.
/// Blobs are chunks of at most the chunk size. A request costs milliseconds whatever its size, so
/// small blobs travel in packs (<see cref="S3PackedUpload"/>, <see cref="S3PackReader"/>): a save
/// sends a pack of a few MiB per PUT and a restore reads packs with ranged GETs, several in flight;
/// large chunks are objects of their own, uploaded and downloaded in parallel like a multipart
/// upload and ranged GETs, and deduplicated chunk by chunk besides.
/// </summary>
/// <remarks>
/// <para>A manifest is written last, under the hash of its own bytes, so two racing saves never write
/// the same object with different content: not every S3 server makes such writes atomic (s3rver
/// writes the file in place, and two interleaved PUTs leave a torn object), and not every one honours
/// <c>If-None-Match</c>. Among a key's manifests the oldest (then the lowest hash) is the entry; a
/// save that finds an older one deletes its own and reports the key as taken, so the key keeps the
/// content readers first saw. Packs go further: each has a random name no other writer uses (racing
/// saves build identical packs, and even identical bytes PUT at once can tear on s3rver), its index
/// written after the pack.</para>
/// <para>Manifests do not say where a blob lies, so entries saved before packs restore unchanged (their
/// blobs are found loose). A worker of the code before packs reads an entry whose blobs are packed
/// as a miss (blob missing), never as wrong content.</para>
/// </remarks>
public sealed class S3CacheStore : ICacheStore, IDisposable
{
    private readonly IAmazonS3 _client;
    private readonly bool _ownsClient;
    private readonly S3Objects _objects;
    private readonly S3CacheLayout _layout;
    private readonly S3PackIndex _packs;
    private readonly S3PackReader _reader;

    /// <param name="client">Not disposed by the store.</param>
    /// <param name="bucket">Must exist.</param>
    /// <param name="prefix">Prepended to every key, as a folder.</param>
    public S3CacheStore(IAmazonS3 client, string bucket, string prefix)
        : this(client, ownsClient: false, bucket, prefix)
    {
    }

    private S3CacheStore(IAmazonS3 client, bool ownsClient, string bucket, string prefix)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bucket);
        _client = client;
        _ownsClient = ownsClient;
        _objects = new S3Objects(client, bucket);
        _layout = new S3CacheLayout(prefix);
        _packs = new S3PackIndex(_objects, _layout);
        _reader = new S3PackReader(_objects, _layout, _packs);
    }

    /// <summary>A store with its own client, from validated options: connect and per-request timeouts, few retries.</summary>
    public static S3CacheStore Create(CacheOptions options)
    {
        var client = S3Clients.Create(options.S3ServiceUrl!, options.S3Region, options.S3AccessKey, options.S3SecretKey, config =>
        {
            config.Timeout = TimeSpan.FromMilliseconds(options.IdleTimeoutMilliseconds);
            config.ConnectTimeout = TimeSpan.FromMilliseconds(options.ConnectTimeoutMilliseconds);
            // A cache that answers slowly is a miss; retries would only stretch the wait.
            config.MaxErrorRetry = 1;
            config.MaxConnectionsPerServer = Math.Max(16, options.Parallelism * 2);
        });
        return new S3CacheStore(client, ownsClient: true, options.S3Bucket!, options.S3Prefix);
    }

    public string Name => "S3";

    public async Task<bool> HasBlobAsync(string hash, CancellationToken cancellationToken) =>
        (_packs.Current ?? await _packs.RefreshAsync(cancellationToken)).Contains(hash)
        || await _objects.ExistsAsync(_layout.BlobKey(hash), cancellationToken);

    /// <summary>Stores the blob as an object of its own; saves go through <see cref="BeginUpload"/>, which packs small ones.</summary>
    public Task PutBlobAsync(string hash, ReadOnlyMemory<byte> compressed, CancellationToken cancellationToken) =>
        _objects.PutAsync(_layout.BlobKey(hash), compressed, cancellationToken);

    /// <summary>From its pack (ranged GET) or as an object of its own; a blob packed since the last listing is found by listing again.</summary>
    public async Task<byte[]?> GetBlobAsync(string hash, CancellationToken cancellationToken)
    {
        if ((_packs.Current ?? await _packs.RefreshAsync(cancellationToken)).TryLocate(hash, out var location)
            && await _reader.ReadAsync(location, cancellationToken) is { } packed)
        {
            return packed;
        }

        if (await _objects.GetIfExistsAsync(_layout.BlobKey(hash), cancellationToken) is { } loose)
        {
            return loose;
        }

        return (await _packs.RefreshAsync(cancellationToken)).TryLocate(hash, out location)
            ? await _reader.ReadAsync(location, cancellationToken)
            : null;
    }

    /// <summary>Like <see cref="GetBlobAsync"/>, into a pooled buffer: a restore's large chunks are loose objects.</summary>
    public async Task<IMemoryOwner<byte>?> RentBlobAsync(string hash, CancellationToken cancellationToken)
    {
        if (!(_packs.Current ?? await _packs.RefreshAsync(cancellationToken)).Contains(hash)
            && await _objects.RentIfExistsAsync(_layout.BlobKey(hash), cancellationToken) is { } loose)
        {
            return loose;
        }

        // Packed members are small; a blob packed since the last listing is found there.
        return await GetBlobAsync(hash, cancellationToken) is { } found ? new OwnedArray(found) : null;
    }

    public IBlobUpload BeginUpload() => new S3PackedUpload(_objects, _layout, _packs);

    public Task FetchBlobsAsync(IReadOnlyCollection<string> hashes, int parallelism, BlobReceiver receive, CancellationToken cancellationToken) =>
        _reader.FetchAsync(hashes, parallelism, receive, cancellationToken);

    public async Task<bool> TryPublishAsync(CacheEntryInfo entry, ReadOnlyMemory<byte> manifest, CancellationToken cancellationToken)
    {
        if (await HasEntryAsync(entry.Key, cancellationToken))
        {
            return false;
        }

        var candidate = _layout.ManifestPrefix(entry.Key) + Convert.ToHexStringLower(SHA256.HashData(manifest.Span));
        await _objects.PutAsync(candidate, manifest, cancellationToken);
        if (await ChosenManifestAsync(entry.Key, cancellationToken) is { } chosen && chosen.Key != candidate)
        {
            // Another save of this key got there first; ours goes, theirs stays the entry.
            await _objects.DeleteAsync(candidate, cancellationToken);
            return false;
        }

        await _objects.PutAsync(_layout.EntryKey(entry.Key), CacheEntryInfoJson.Serialize(entry), cancellationToken);
        return true;
    }

    public async Task<bool> HasEntryAsync(string key, CancellationToken cancellationToken) =>
        await ChosenManifestAsync(key, cancellationToken) is not null;

    public async Task<byte[]?> GetManifestAsync(string key, CancellationToken cancellationToken) =>
        await ChosenManifestAsync(key, cancellationToken) is { } chosen ? await _objects.GetIfExistsAsync(chosen.Key, cancellationToken) : null;

    public async Task<IReadOnlyList<CacheEntryInfo>> ListEntriesAsync(string prefix, CancellationToken cancellationToken)
    {
        var listed = await _objects.ListAsync(_layout.EntriesPrefix + prefix, cancellationToken);
        var found = new CacheEntryInfo?[listed.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, listed.Count),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                var json = await _objects.GetIfExistsAsync(listed[i].Key, token);
                found[i] = json is null ? null : CacheEntryInfoJson.TryDeserialize(json);
            });
        return found.OfType<CacheEntryInfo>().ToList();
    }

    public async Task RecordRestoreAsync(string key, DateTimeOffset at, IReadOnlyCollection<string> blobs, CancellationToken cancellationToken)
    {
        if (await _objects.GetIfExistsAsync(_layout.EntryKey(key), cancellationToken) is { } json && CacheEntryInfoJson.TryDeserialize(json) is { } info)
        {
            // Read-modify-write: two restores at once may count one hit; eviction only needs the time.
            await _objects.PutAsync(_layout.EntryKey(key), CacheEntryInfoJson.Serialize(info with { Hits = info.Hits + 1, LastRestoredAt = at }), cancellationToken);
        }
    }

    public async Task DeleteEntryAsync(string key, CancellationToken cancellationToken)
    {
        foreach (var manifest in await _objects.ListAsync(_layout.ManifestPrefix(key), cancellationToken, delimiter: "/"))
        {
            await _objects.DeleteAsync(manifest.Key, cancellationToken);
        }

        await _objects.DeleteAsync(_layout.EntryKey(key), cancellationToken);
    }

    /// <summary>Loose blobs and packed ones (a packed blob is as old as its pack).</summary>
    public async Task<IReadOnlyList<StoredBlob>> ListBlobsAsync(CancellationToken cancellationToken)
    {
        var loose = (await _objects.ListAsync(_layout.BlobsPrefix, cancellationToken))
            .Select(o => (Hash: S3CacheLayout.HashOf(o.Key), WrittenAt: S3Objects.WrittenAt(o)))
            .Where(o => o.Hash is not null)
            .Select(o => new StoredBlob(o.Hash!, o.WrittenAt));
        var packed = (await _packs.RefreshAsync(cancellationToken)).Packs
            .SelectMany(p => p.Members.Select(m => new StoredBlob(m.Hash, p.WrittenAt)));
        return loose.Concat(packed).DistinctBy(b => b.Hash, StringComparer.Ordinal).ToList();
    }

    /// <summary>A loose blob only; packed blobs go with their pack in <see cref="DeleteUnreferencedBlobsAsync"/>.</summary>
    public Task DeleteBlobAsync(string hash, CancellationToken cancellationToken) => _objects.DeleteAsync(_layout.BlobKey(hash), cancellationToken);

    public Task<int> DeleteUnreferencedBlobsAsync(IReadOnlySet<string> referenced, DateTimeOffset writtenBefore, CancellationToken cancellationToken) =>
        new S3PackSweeper(_objects, _layout, _packs).SweepAsync(referenced, writtenBefore, cancellationToken);

    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    /// <summary>The key's entry: its oldest manifest, the lowest hash among equally old ones; null when it has none.</summary>
    private async Task<S3Object?> ChosenManifestAsync(string key, CancellationToken cancellationToken)
    {
        // The delimiter keeps the manifests of key "a/b" out of key "a"'s listing.
        var manifests = await _objects.ListAsync(_layout.ManifestPrefix(key), cancellationToken, delimiter: "/");
        return manifests
            .OrderBy(m => m.LastModified ?? DateTime.MaxValue)
            .ThenBy(m => m.Key, StringComparer.Ordinal)
            .FirstOrDefault();
    }
}
