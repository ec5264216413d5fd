using BuildFarm.IntegrationTests.Fixtures;
using BuildFarm.Storage.Caching;

namespace BuildFarm.IntegrationTests.Caching;

/// <summary>The dependency cache on the real s3rver that scripts/test.sh starts, a bucket per store; content is compared, never just statuses.</summary>
[Collection(S3Collection.Name)]
public sealed class S3CacheStoreTests(S3Fixture s3) : CacheStoreBehaviour
{
    private readonly Dictionary<ICacheStore, string> _buckets = [];

    // Two saves whose manifests land within one timestamp tick can both see themselves as the
    // oldest before the other is listed; readers still agree on one complete manifest.
    protected override bool ExactlyOneSaveWins => false;

    protected override async Task<ICacheStore> CreateStoreAsync(CancellationToken cancellationToken)
    {
        var bucket = await s3.CreateBucketAsync("cache", cancellationToken);
        var store = new S3CacheStore(s3.Client, bucket, "cache/");
        _buckets[store] = bucket;
        return store;
    }

    /// <summary>Small blobs live in packs: the member's bytes are changed where they lie.</summary>
    protected override Task CorruptBlobAsync(ICacheStore store, string hash, CancellationToken cancellationToken) =>
        new S3BucketPacks(s3.Client, _buckets[store], "cache/").CorruptMemberAsync(hash, cancellationToken);
}
