using BuildFarm.IntegrationTests.Fixtures;
using BuildFarm.Storage.Caching;

namespace BuildFarm.IntegrationTests.Caching;

/// <summary>The dependency cache on the real s3rver that scripts/test.sh starts, a bucket per store; content is compared, never just statuses.</summary>
[Collection(S3Collection.Name)]
public sealed class S3CacheStoreTests(S3Fixture s3) : CacheStoreBehaviour
{
    // Two saves whose manifests land within one timestamp tick can both see themselves as the
    // oldest before the other is listed; readers still agree on one complete manifest.
    protected override bool ExactlyOneSaveWins => false;

    protected override async Task<ICacheStore> CreateStoreAsync(CancellationToken cancellationToken) =>
        new S3CacheStore(s3.Client, await s3.CreateBucketAsync("cache", cancellationToken), "cache/");
}
