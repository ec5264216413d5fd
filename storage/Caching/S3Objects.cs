using System.Buffers;
using System.Net;
using System.Runtime.InteropServices;
using Amazon.S3;
using Amazon.S3.Model;

namespace BuildFarm.Storage.Caching;

/// <summary>
/// The object operations the S3 cache store and its packs share, on one bucket. Every body goes
/// with <c>UseChunkEncoding = false</c>: s3rver stores aws-chunked framing as the object.
/// </summary>
internal sealed class S3Objects(IAmazonS3 client, string bucket)
{
    private const int MaxListPages = 100_000;

    public async Task PutAsync(string objectKey, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var body = MemoryMarshal.TryGetArray(content, out var segment) && segment.Array is not null
            ? new MemoryStream(segment.Array, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);
        var request = new PutObjectRequest
        {
            BucketName = bucket,
            Key = objectKey,
            InputStream = body,
            ContentType = "application/octet-stream",
            UseChunkEncoding = false,
        };
        await client.PutObjectAsync(request, cancellationToken);
    }

    public async Task<byte[]?> GetIfExistsAsync(string objectKey, CancellationToken cancellationToken)
    {
        using var response = await OpenIfExistsAsync(objectKey, null, cancellationToken);
        if (response is null)
        {
            return null;
        }

        var length = response.ContentLength;
        using var buffer = length > 0 ? new MemoryStream((int)length) : new MemoryStream();
        await response.ResponseStream.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    /// <summary>
    /// The object in a pooled buffer the caller disposes, or null. A large blob is a chunk of a
    /// MiB or more: read straight into a pooled array it costs no MemoryStream growth, no copy out
    /// of it and no large-object-heap array per chunk.
    /// </summary>
    /// <remarks>
    /// Asked for as the open range <c>bytes=0-</c>, which is the whole object: for a GET without a
    /// range the SDK checks the body against the ETag with its own managed MD5, the largest single
    /// cost of an S3 restore's large files in a profile (7% of the bench process's CPU), and the
    /// cache checks every blob's SHA-256 anyway. An empty object has no such range (S3 answers 416,
    /// s3rver a body shorter than its length), so it fails the read: no stored blob is empty (even
    /// an empty chunk has its frame or raw marker), so an empty one is corrupt and a miss.
    /// </remarks>
    public async Task<IMemoryOwner<byte>?> RentIfExistsAsync(string objectKey, CancellationToken cancellationToken)
    {
        using var response = await OpenRangeIfExistsAsync(objectKey, new ByteRange("bytes=0-"), cancellationToken);
        if (response is null)
        {
            return null;
        }

        if (response.ContentLength is < 0 or > int.MaxValue)
        {
            throw new IOException($"Object {objectKey} has no usable length ({response.ContentLength}).");
        }

        var stored = new PooledBuffer((int)response.ContentLength);
        try
        {
            await response.ResponseStream.ReadExactlyAsync(stored.Memory, cancellationToken);
            return stored;
        }
        catch
        {
            stored.Dispose();
            throw;
        }
    }

    /// <summary>The object (or the inclusive byte range of it) as a stream the caller disposes; null when it does not exist.</summary>
    public Task<GetObjectResponse?> OpenIfExistsAsync(string objectKey, (long First, long Last)? range, CancellationToken cancellationToken) =>
        OpenRangeIfExistsAsync(objectKey, range is { } r ? new ByteRange(r.First, r.Last) : null, cancellationToken);

    private async Task<GetObjectResponse?> OpenRangeIfExistsAsync(string objectKey, ByteRange? range, CancellationToken cancellationToken)
    {
        var request = new GetObjectRequest { BucketName = bucket, Key = objectKey, ByteRange = range };
        try
        {
            return await client.GetObjectAsync(request, cancellationToken);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<bool> ExistsAsync(string objectKey, CancellationToken cancellationToken)
    {
        try
        {
            await client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = objectKey }, cancellationToken);
            return true;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public Task DeleteAsync(string objectKey, CancellationToken cancellationToken) =>
        client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = objectKey }, cancellationToken);

    public async Task<List<S3Object>> ListAsync(string prefix, CancellationToken cancellationToken, string? delimiter = null)
    {
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix, Delimiter = delimiter };
        var found = new List<S3Object>();
        for (var page = 0; page < MaxListPages; page++)
        {
            var listed = await client.ListObjectsV2Async(request, cancellationToken);
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

    public static DateTimeOffset WrittenAt(S3Object listed) =>
        listed.LastModified is { } modified ? new DateTimeOffset(modified.ToUniversalTime()) : DateTimeOffset.UnixEpoch;
}
