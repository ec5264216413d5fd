using BuildFarm.IntegrationTests.Fixtures;
using BuildFarm.Storage.Caching;

namespace BuildFarm.IntegrationTests.Caching;

/// <summary>The dependency cache on the real Redis that scripts/test.sh starts, under a key prefix of its own.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisCacheStoreTests(RedisFixture redis) : CacheStoreBehaviour, IAsyncLifetime
{
    private readonly List<RedisCacheStore> _stores = [];

    protected override Task<ICacheStore> CreateStoreAsync(CancellationToken cancellationToken)
    {
        var store = new RedisCacheStore(redis.Configuration, redis.CreateKeyPrefix("cache"), TimeSpan.FromDays(1), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));
        _stores.Add(store);
        return Task.FromResult<ICacheStore>(store);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }
    }
}
