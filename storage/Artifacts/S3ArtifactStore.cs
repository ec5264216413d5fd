using System.Net;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace BuildFarm.Storage.Artifacts;

/// <summary>
/// Artifacts as objects in an S3 bucket (AWS, MinIO, s3rver) under a key prefix, each beside its
/// checksum object. Up to one part size goes up in a single PUT, larger artifacts as a multipart
/// upload, two parts in memory at a time, aborted if anything fails.
/// </summary>
/// <remarks>
/// Every body is sent with <c>UseChunkEncoding = false</c>: over plain HTTP the SDK otherwise frames
/// it as aws-chunked, and s3rver stores the framing as the object without an error. That is also
/// why TransferUtility is not used: it cannot turn the framing off over HTTP.
/// </remarks>
public sealed class S3ArtifactStore : IArtifactStore, IDisposable
{
    // S3 refuses more parts; with the 5 MiB minimum part size that is ~48 GiB per artifact.
    private const int MaxParts = 10_000;
    private const int MaxListPages = 10_000;

    private static readonly TimeSpan AbortTimeout = TimeSpan.FromSeconds(30);

    private readonly IAmazonS3 _client;
    private readonly bool _ownsClient;
    private readonly string _bucket;
    private readonly string _prefix;
    private readonly long _partSize;

    /// <param name="client">Not disposed by the store.</param>
    /// <param name="bucket">Must exist.</param>
    /// <param name="prefix">Prepended to every key, as a folder ("artifacts" and "artifacts/" are the same); empty for the bucket's root.</param>
    /// <param name="partSizeBytes">The single-PUT limit and the multipart part size, 5 MiB to 1 GiB.</param>
    public S3ArtifactStore(IAmazonS3 client, string bucket, string prefix, long partSizeBytes)
        : this(client, ownsClient: false, bucket, prefix, partSizeBytes)
    {
    }

    private S3ArtifactStore(IAmazonS3 client, bool ownsClient, string bucket, string prefix, long partSizeBytes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bucket);
        ArgumentOutOfRangeException.ThrowIfLessThan(partSizeBytes, ArtifactOptions.MinPartSizeBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(partSizeBytes, ArtifactOptions.MaxPartSizeBytes);
        _client = client;
        _ownsClient = ownsClient;
        _bucket = bucket;
        _prefix = prefix.Length == 0 || prefix.EndsWith('/') ? prefix : prefix + "/";
        _partSize = partSizeBytes;
    }

    /// <summary>A store with its own client, from validated options.</summary>
    public static S3ArtifactStore Create(ArtifactOptions options)
    {
        var client = S3Clients.Create(options.S3ServiceUrl!, options.S3Region, options.S3AccessKey, options.S3SecretKey);
        return new S3ArtifactStore(client, ownsClient: true, options.S3Bucket!, options.S3Prefix, options.PartSizeBytes);
    }

    public async Task<StoredArtifact> PutAsync(string key, Stream content, long length, CancellationToken cancellationToken)
    {
        ArtifactKey.Validate(key);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var partCount = length <= _partSize ? 1 : (length + _partSize - 1) / _partSize;
        if (partCount > MaxParts)
        {
            throw new ArgumentException(
                $"'{key}' is {length} bytes: more than {MaxParts} parts of {_partSize} bytes; raise Artifacts:PartSizeBytes.", nameof(length));
        }

        var objectKey = _prefix + key;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var sha256 = partCount == 1
            ? await PutSingleAsync(objectKey, key, content, GC.AllocateUninitializedArray<byte>((int)length), hash, cancellationToken)
            : await PutMultipartAsync(objectKey, key, content, length, hash, cancellationToken);
        return new StoredArtifact(key, length, sha256);
    }

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken) => OpenReadAsync(key, 0, cancellationToken);

    public async Task<Stream> OpenReadAsync(string key, long offset, CancellationToken cancellationToken)
    {
        ArtifactKey.Validate(key);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        try
        {
            var request = new GetObjectRequest { BucketName = _bucket, Key = _prefix + key };
            if (offset > 0)
            {
                // Open-ended, as HTTP allows; a range starting at the end is answered 416 below.
                request.ByteRange = new ByteRange($"bytes={offset}-");
            }

            var response = await _client.GetObjectAsync(request, cancellationToken);
            return new S3ObjectStream(response);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            // Reading from the very end is an empty read, not an error.
            return Stream.Null;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            // Callers handle one "not found" whichever store they use.
            throw new FileNotFoundException($"No artifact has the key '{key}'.", key, ex);
        }
    }

    public async Task<IReadOnlyList<StoredArtifact>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = _prefix + prefix };
        var contents = new List<S3Object>();
        var checksums = new HashSet<string>(StringComparer.Ordinal);
        for (var page = 0; ; page++)
        {
            if (page == MaxListPages)
            {
                throw new InvalidOperationException($"More than {MaxListPages} pages of artifacts under '{prefix}'.");
            }

            var listed = await _client.ListObjectsV2Async(request, cancellationToken);
            // An empty page has S3Objects null, not empty (SDK v4, and s3rver).
            foreach (var item in listed.S3Objects ?? [])
            {
                if (item.Key.EndsWith(ArtifactKey.ChecksumSuffix, StringComparison.OrdinalIgnoreCase))
                {
                    checksums.Add(item.Key);
                }
                else
                {
                    contents.Add(item);
                }
            }

            if (listed.IsTruncated != true)
            {
                break;
            }

            request.ContinuationToken = listed.NextContinuationToken;
        }

        var found = new List<StoredArtifact>(contents.Count);
        foreach (var item in contents)
        {
            var key = item.Key[_prefix.Length..];
            var sha256 = checksums.Contains(item.Key + ArtifactKey.ChecksumSuffix)
                ? await ReadChecksumAsync(item.Key + ArtifactKey.ChecksumSuffix, cancellationToken)
                : null;
            sha256 ??= await ComputeChecksumAsync(item.Key, cancellationToken);
            found.Add(new StoredArtifact(key, item.Size ?? 0, sha256));
        }

        found.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return found;
    }

    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    private async Task<string> PutSingleAsync(
        string objectKey, string key, Stream content, byte[] buffer, IncrementalHash hash, CancellationToken cancellationToken)
    {
        await S3PartUploader.ReadPartAsync(content, buffer, buffer.Length, key, cancellationToken);
        await EnsureEndAsync(content, key, buffer.Length, cancellationToken);
        hash.AppendData(buffer);
        var sha256 = ArtifactChecksum.Hex(hash);
        // The checksum goes first: an artifact is never listed with a checksum of older content
        // once its upload has succeeded, and a failed upload takes its checksum back.
        await PutChecksumAsync(objectKey, key, sha256, cancellationToken);
        try
        {
            await _client.PutObjectAsync(
                new PutObjectRequest
                {
                    BucketName = _bucket,
                    Key = objectKey,
                    InputStream = new MemoryStream(buffer, writable: false),
                    ContentType = ContentTypeOf(key),
                    UseChunkEncoding = false,
                },
                cancellationToken);
        }
        catch
        {
            await DeleteChecksumAsync(objectKey);
            throw;
        }

        return sha256;
    }

    private async Task<string> PutMultipartAsync(
        string objectKey, string key, Stream content, long length, IncrementalHash hash, CancellationToken cancellationToken)
    {
        var started = await _client.InitiateMultipartUploadAsync(
            new InitiateMultipartUploadRequest { BucketName = _bucket, Key = objectKey, ContentType = ContentTypeOf(key) },
            cancellationToken);
        var checksumWritten = false;
        try
        {
            var parts = await new S3PartUploader(_client, _bucket, objectKey, started.UploadId, _partSize)
                .UploadAsync(key, content, length, hash, cancellationToken);
            await EnsureEndAsync(content, key, length, cancellationToken);
            var sha256 = ArtifactChecksum.Hex(hash);
            checksumWritten = true;
            await PutChecksumAsync(objectKey, key, sha256, cancellationToken);
            await _client.CompleteMultipartUploadAsync(
                new CompleteMultipartUploadRequest { BucketName = _bucket, Key = objectKey, UploadId = started.UploadId, PartETags = parts },
                cancellationToken);
            return sha256;
        }
        catch
        {
            await AbortAsync(objectKey, started.UploadId);
            if (checksumWritten)
            {
                await DeleteChecksumAsync(objectKey);
            }

            throw;
        }
    }

    private Task PutChecksumAsync(string objectKey, string key, string sha256, CancellationToken cancellationToken) =>
        _client.PutObjectAsync(
            new PutObjectRequest
            {
                BucketName = _bucket,
                Key = objectKey + ArtifactKey.ChecksumSuffix,
                InputStream = new MemoryStream(Encoding.ASCII.GetBytes(ArtifactChecksum.Format(sha256, key)), writable: false),
                ContentType = "text/plain",
                UseChunkEncoding = false,
            },
            cancellationToken);

    private async Task<string?> ReadChecksumAsync(string checksumKey, CancellationToken cancellationToken)
    {
        using var response = await _client.GetObjectAsync(new GetObjectRequest { BucketName = _bucket, Key = checksumKey }, cancellationToken);
        using var reader = new StreamReader(response.ResponseStream, Encoding.ASCII);
        return ArtifactChecksum.TryParse(await reader.ReadToEndAsync(cancellationToken), out var sha256) ? sha256 : null;
    }

    private async Task<string> ComputeChecksumAsync(string objectKey, CancellationToken cancellationToken)
    {
        using var response = await _client.GetObjectAsync(new GetObjectRequest { BucketName = _bucket, Key = objectKey }, cancellationToken);
        return (await ArtifactChecksum.ComputeAsync(response.ResponseStream, cancellationToken)).Sha256;
    }

    private async Task AbortAsync(string objectKey, string uploadId)
    {
        // Not the caller's token: it may be the very cancellation being handled, and parts left
        // behind are billed until a lifecycle rule clears them.
        using var timeout = new CancellationTokenSource(AbortTimeout);
        try
        {
            await _client.AbortMultipartUploadAsync(
                new AbortMultipartUploadRequest { BucketName = _bucket, Key = objectKey, UploadId = uploadId }, timeout.Token);
        }
        catch (Exception ex) when (ex is AmazonServiceException or HttpRequestException or OperationCanceledException)
        {
            // The upload's own failure is what the caller needs to see; this one would hide it.
        }
    }

    private async Task DeleteChecksumAsync(string objectKey)
    {
        using var timeout = new CancellationTokenSource(AbortTimeout);
        try
        {
            await _client.DeleteObjectAsync(
                new DeleteObjectRequest { BucketName = _bucket, Key = objectKey + ArtifactKey.ChecksumSuffix }, timeout.Token);
        }
        catch (Exception ex) when (ex is AmazonServiceException or HttpRequestException or OperationCanceledException)
        {
            // Left behind, a checksum only costs a recomputation on listing; the upload's failure matters more.
        }
    }

    private static async Task EnsureEndAsync(Stream content, string key, long length, CancellationToken cancellationToken)
    {
        var probe = new byte[1];
        if (await content.ReadAsync(probe, cancellationToken) != 0)
        {
            throw new InvalidDataException($"The content for '{key}' is longer than the {length} bytes declared.");
        }
    }

    private static string ContentTypeOf(string key) =>
        key.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) ? "application/zip" : "application/octet-stream";
}
