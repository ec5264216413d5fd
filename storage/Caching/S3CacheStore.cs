using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;

namespace BuildFarm.Storage.Caching;

/// <summary>
/// The store in an S3 bucket (AWS, MinIO, s3rver): <c>blobs/ab/HASH</c>, <c>manifests/KEY/MANIFESTHASH</c>
/// and <c>entries/KEY.json</c> (the index that prefix lookups and listings read). Blobs are chunks of at
/// most the chunk size, so each is one PUT; large files are many chunks, uploaded and downloaded in
/// parallel like a multipart upload and ranged GETs, and deduplicated chunk by chunk besides.
/// </summary>
/// <remarks>
/// <para>A manifest is written last, under the hash of its own bytes, so two racing saves never write
/// the same object with different content: not every S3 server makes such writes atomic (s3rver
/// writes the file in place, and two interleaved PUTs leave a torn object), and not every one honours
/// <c>If-None-Match</c>. Among a key's manifests the oldest (then the lowest hash) is the entry; a
/// save that finds an older one deletes its own and reports the key as taken, so the key keeps the
/// content readers first saw.</para>
/// <para>Every body goes with <c>UseChunkEncoding = false</c>: s3rver stores aws-chunked framing as the object.</para>
/// </remarks>
public sealed class S3CacheStore : ICacheStore, IDisposable
{
    private const int MaxListPages = 100_000;

    private readonly IAmazonS3 _client;
    private readonly bool _ownsClient;
    private readonly string _bucket;
    private readonly string _prefix;

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
        _bucket = bucket;
        _prefix = prefix.Length == 0 || prefix.EndsWith('/') ? prefix : prefix + "/";
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

    public async Task<bool> HasBlobAsync(string hash, CancellationToken cancellationToken)
    {
        try
        {
            await _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _bucket, Key = BlobKey(hash) }, cancellationToken);
            return true;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public Task PutBlobAsync(string hash, ReadOnlyMemory<byte> compressed, CancellationToken cancellationToken) =>
        PutAsync(BlobKey(hash), compressed, cancellationToken);

    public Task<byte[]?> GetBlobAsync(string hash, CancellationToken cancellationToken) => GetIfExistsAsync(BlobKey(hash), cancellationToken);

    public async Task<bool> TryPublishAsync(CacheEntryInfo entry, ReadOnlyMemory<byte> manifest, CancellationToken cancellationToken)
    {
        if (await HasEntryAsync(entry.Key, cancellationToken))
        {
            return false;
        }

        var candidate = ManifestPrefix(entry.Key) + Convert.ToHexStringLower(SHA256.HashData(manifest.Span));
        await PutAsync(candidate, manifest, cancellationToken);
        if (await ChosenManifestAsync(entry.Key, cancellationToken) is { } chosen && chosen.Key != candidate)
        {
            // Another save of this key got there first; ours goes, theirs stays the entry.
            await _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = candidate }, cancellationToken);
            return false;
        }

        await PutAsync(EntryKey(entry.Key), CacheEntryInfoJson.Serialize(entry), cancellationToken);
        return true;
    }

    public async Task<bool> HasEntryAsync(string key, CancellationToken cancellationToken) =>
        await ChosenManifestAsync(key, cancellationToken) is not null;

    public async Task<byte[]?> GetManifestAsync(string key, CancellationToken cancellationToken) =>
        await ChosenManifestAsync(key, cancellationToken) is { } chosen ? await GetIfExistsAsync(chosen.Key, cancellationToken) : null;

    public async Task<IReadOnlyList<CacheEntryInfo>> ListEntriesAsync(string prefix, CancellationToken cancellationToken)
    {
        var listed = await ListAsync(_prefix + "entries/" + prefix, cancellationToken);
        var found = new CacheEntryInfo?[listed.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, listed.Count),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                var json = await GetIfExistsAsync(listed[i].Key, token);
                found[i] = json is null ? null : CacheEntryInfoJson.TryDeserialize(json);
            });
        return found.OfType<CacheEntryInfo>().ToList();
    }

    public async Task RecordRestoreAsync(string key, DateTimeOffset at, IReadOnlyCollection<string> blobs, CancellationToken cancellationToken)
    {
        if (await GetIfExistsAsync(EntryKey(key), cancellationToken) is { } json && CacheEntryInfoJson.TryDeserialize(json) is { } info)
        {
            // Read-modify-write: two restores at once may count one hit; eviction only needs the time.
            await PutAsync(EntryKey(key), CacheEntryInfoJson.Serialize(info with { Hits = info.Hits + 1, LastRestoredAt = at }), cancellationToken);
        }
    }

    public async Task DeleteEntryAsync(string key, CancellationToken cancellationToken)
    {
        foreach (var manifest in await ListAsync(ManifestPrefix(key), cancellationToken, delimiter: "/"))
        {
            await _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = manifest.Key }, cancellationToken);
        }

        await _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = EntryKey(key) }, cancellationToken);
    }

    public async Task<IReadOnlyList<StoredBlob>> ListBlobsAsync(CancellationToken cancellationToken)
    {
        var listed = await ListAsync(_prefix + "blobs/", cancellationToken);
        return listed
            .Select(o => (Hash: o.Key[(o.Key.LastIndexOf('/') + 1)..], o.LastModified))
            .Where(o => Core.Caching.CacheManifest.IsHash(o.Hash))
            .Select(o => new StoredBlob(o.Hash, o.LastModified is { } modified ? new DateTimeOffset(modified.ToUniversalTime()) : DateTimeOffset.UnixEpoch))
            .ToList();
    }

    public Task DeleteBlobAsync(string hash, CancellationToken cancellationToken) =>
        _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = BlobKey(hash) }, cancellationToken);

    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    private async Task PutAsync(string objectKey, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var body = MemoryMarshal.TryGetArray(content, out var segment) && segment.Array is not null
            ? new MemoryStream(segment.Array, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);
        var request = new PutObjectRequest
        {
            BucketName = _bucket,
            Key = objectKey,
            InputStream = body,
            ContentType = "application/octet-stream",
            UseChunkEncoding = false,
        };
        await _client.PutObjectAsync(request, cancellationToken);
    }

    private async Task<byte[]?> GetIfExistsAsync(string objectKey, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _client.GetObjectAsync(new GetObjectRequest { BucketName = _bucket, Key = objectKey }, cancellationToken);
            var length = response.ContentLength;
            using var buffer = length > 0 ? new MemoryStream((int)length) : new MemoryStream();
            await response.ResponseStream.CopyToAsync(buffer, cancellationToken);
            return buffer.ToArray();
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>The key's entry: its oldest manifest, the lowest hash among equally old ones; null when it has none.</summary>
    private async Task<S3Object?> ChosenManifestAsync(string key, CancellationToken cancellationToken)
    {
        // The delimiter keeps the manifests of key "a/b" out of key "a"'s listing.
        var manifests = await ListAsync(ManifestPrefix(key), cancellationToken, delimiter: "/");
        return manifests
            .OrderBy(m => m.LastModified ?? DateTime.MaxValue)
            .ThenBy(m => m.Key, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    private async Task<List<S3Object>> ListAsync(string prefix, CancellationToken cancellationToken, string? delimiter = null)
    {
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = prefix, Delimiter = delimiter };
        var found = new List<S3Object>();
        for (var page = 0; page < MaxListPages; page++)
        {
            var listed = await _client.ListObjectsV2Async(request, cancellationToken);
            // An empty page has S3Objects null, not empty (SDK v4, and s3rver).
            found.AddRange(listed.S3Objects ?? []);
            if (listed.IsTruncated != true)
            {
                return found;
            }

            request.ContinuationToken = listed.NextContinuationToken;
        }

        throw new InvalidOperationException($"More than {MaxListPages} pages of objects under '{prefix}'.");
    }

    private string BlobKey(string hash) => $"{_prefix}blobs/{hash[..2]}/{hash}";

    private string ManifestPrefix(string key) => $"{_prefix}manifests/{key}/";

    private string EntryKey(string key) => $"{_prefix}entries/{key}.json";
}
