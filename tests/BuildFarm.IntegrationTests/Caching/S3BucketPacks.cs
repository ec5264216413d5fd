using Amazon.S3;
using Amazon.S3.Model;
using BuildFarm.Storage.Caching;

namespace BuildFarm.IntegrationTests.Caching;

/// <summary>What an S3 cache store left in its bucket, read behind its back: objects, packs and their members.</summary>
internal sealed class S3BucketPacks(IAmazonS3 client, string bucket, string prefix)
{
    public async Task<List<string>> KeysAsync(string under, CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix + under };
        var keys = new List<string>();
        ListObjectsV2Response listed;
        do
        {
            listed = await client.ListObjectsV2Async(request, cancellationToken);
            keys.AddRange((listed.S3Objects ?? []).Select(o => o.Key));
            request.ContinuationToken = listed.NextContinuationToken;
        }
        while (listed.IsTruncated == true);

        return keys;
    }

    /// <summary>Pack object key → its members, from the index objects.</summary>
    public async Task<Dictionary<string, List<S3PackMember>>> PacksAsync(CancellationToken cancellationToken)
    {
        var packs = new Dictionary<string, List<S3PackMember>>(StringComparer.Ordinal);
        foreach (var key in (await KeysAsync("packs/", cancellationToken)).Where(k => k.EndsWith(S3CacheLayout.IndexSuffix, StringComparison.Ordinal)))
        {
            packs[key[..^S3CacheLayout.IndexSuffix.Length]] = S3PackIndexFile.TryParse(await ReadAsync(key, cancellationToken))
                ?? throw new InvalidDataException($"{key} is not a pack index.");
        }

        return packs;
    }

    /// <summary>Flips one byte in the middle of the blob's bytes inside its pack.</summary>
    public async Task CorruptMemberAsync(string hash, CancellationToken cancellationToken)
    {
        var (pack, member) = (await PacksAsync(cancellationToken))
            .SelectMany(p => p.Value.Select(m => (Pack: p.Key, Member: m)))
            .First(p => p.Member.Hash == hash);
        var content = await ReadAsync(pack, cancellationToken);
        content[member.Offset + (member.Length / 2)] ^= 0x5A;
        await client.PutObjectAsync(
            new PutObjectRequest { BucketName = bucket, Key = pack, InputStream = new MemoryStream(content), UseChunkEncoding = false },
            cancellationToken);
    }

    private async Task<byte[]> ReadAsync(string key, CancellationToken cancellationToken)
    {
        using var response = await client.GetObjectAsync(bucket, key, cancellationToken);
        using var buffer = new MemoryStream();
        await response.ResponseStream.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}
