using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;

namespace BuildFarm.Storage.Artifacts;

/// <summary>The parts of one multipart upload that <see cref="S3ArtifactStore"/> has initiated.</summary>
/// <remarks>Bodies go with <c>UseChunkEncoding = false</c>: s3rver stores aws-chunked framing as content.</remarks>
internal sealed class S3PartUploader(IAmazonS3 client, string bucket, string objectKey, string uploadId, long partSize)
{
    // Two parts in flight keep the connection busy while the SDK signs the next one; memory is two
    // parts per upload.
    private const int MaxPartsInFlight = 2;

    /// <summary>
    /// Reads and hashes the parts in order while up to <see cref="MaxPartsInFlight"/> of them upload;
    /// returns only when no part request is still running, so an abort that follows is final.
    /// </summary>
    public async Task<List<PartETag>> UploadAsync(string key, Stream content, long length, IncrementalHash hash, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var parts = new List<PartETag>();
        var inFlight = new Queue<Task<(PartETag Part, byte[] Buffer)>>();
        var free = new Stack<byte[]>();
        try
        {
            long read = 0;
            for (var number = 1; read < length; number++)
            {
                if (inFlight.Count == MaxPartsInFlight)
                {
                    var (part, buffer) = await inFlight.Dequeue();
                    parts.Add(part);
                    free.Push(buffer);
                }

                var next = free.Count > 0 ? free.Pop() : GC.AllocateUninitializedArray<byte>((int)partSize);
                var size = (int)Math.Min(partSize, length - read);
                await ReadPartAsync(content, next, size, key, stop.Token);
                hash.AppendData(next, 0, size);
                inFlight.Enqueue(UploadPartAsync(number, next, size, stop.Token));
                read += size;
            }

            while (inFlight.Count > 0)
            {
                parts.Add((await inFlight.Dequeue()).Part);
            }

            return parts;
        }
        catch
        {
            await stop.CancelAsync();
            // A part still uploading could land after the abort and stay billed; its own failure
            // (most likely this cancellation) says nothing the first failure doesn't.
            await ((Task)Task.WhenAll(inFlight)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }
    }

    private async Task<(PartETag Part, byte[] Buffer)> UploadPartAsync(int number, byte[] buffer, int size, CancellationToken cancellationToken)
    {
        var uploaded = await client.UploadPartAsync(
            new UploadPartRequest
            {
                BucketName = bucket,
                Key = objectKey,
                UploadId = uploadId,
                PartNumber = number,
                PartSize = size,
                InputStream = new MemoryStream(buffer, 0, size, writable: false),
                UseChunkEncoding = false,
            },
            cancellationToken);
        return (new PartETag(number, uploaded.ETag), buffer);
    }

    /// <exception cref="InvalidDataException">The stream ended first.</exception>
    public static async Task ReadPartAsync(Stream content, byte[] buffer, int count, string key, CancellationToken cancellationToken)
    {
        var read = await content.ReadAtLeastAsync(buffer.AsMemory(0, count), count, throwOnEndOfStream: false, cancellationToken);
        if (read < count)
        {
            throw new InvalidDataException($"The content for '{key}' ended before the declared length.");
        }
    }
}
