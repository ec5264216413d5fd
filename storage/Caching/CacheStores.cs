namespace BuildFarm.Storage.Caching;

/// <summary>Picks the store <c>Cache:Backend</c> names.</summary>
public static class CacheStores
{
    /// <param name="options">Already validated (<see cref="CacheOptionsValidator"/> runs at start).</param>
    public static ICacheStore Create(CacheOptions options) => options.Backend switch
    {
        CacheOptions.RedisBackend => new RedisCacheStore(
            options.RedisConfiguration!,
            options.RedisKeyPrefix,
            // Eviction is the real policy; the TTL only makes sure a forgotten key cannot stay forever.
            TimeSpan.FromDays(options.IdleDays * 4),
            TimeSpan.FromMilliseconds(options.ConnectTimeoutMilliseconds),
            TimeSpan.FromMilliseconds(options.IdleTimeoutMilliseconds)),
        CacheOptions.S3Backend => S3CacheStore.Create(options),
        CacheOptions.FileSystemBackend => new FileSystemCacheStore(options.FileSystemRoot),
        _ => throw new InvalidOperationException($"Cache:Backend '{options.Backend}' is not FileSystem, Redis or S3."),
    };
}
