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

    [Fact]
    public async Task A_loose_blob_is_read_whole_by_an_open_range_and_a_missing_one_is_null()
    {
        using var timeout = new CancellationTokenSource(Limit);
        var store = (S3CacheStore)await CreateStoreAsync(timeout.Token);
        var large = CacheTree.RandomBytes((2 * 1024 * 1024) + 17, 11);
        await store.PutBlobAsync("large", large, timeout.Token);

        using var read = await store.RentBlobAsync("large", timeout.Token);
        using var missing = await store.RentBlobAsync("missing", timeout.Token);

        Assert.Equal(large, read!.Memory.ToArray());
        Assert.Null(missing);
    }

    /// <summary>Small blobs live in packs: the member's bytes are changed where they lie.</summary>
    protected override Task CorruptBlobAsync(ICacheStore store, string hash, CancellationToken cancellationToken) =>
        new S3BucketPacks(s3.Client, _buckets[store], "cache/").CorruptMemberAsync(hash, cancellationToken);
}
