using BuildFarm.Storage.Caching;

namespace BuildFarm.IntegrationTests.Caching;

/// <summary>The dependency cache in a directory, as the embedded farm keeps it.</summary>
public sealed class FileSystemCacheStoreTests : CacheStoreBehaviour, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("bf-cache-store-").FullName;

    protected override Task<ICacheStore> CreateStoreAsync(CancellationToken cancellationToken) =>
        Task.FromResult<ICacheStore>(new FileSystemCacheStore(Path.Combine(_root, Guid.NewGuid().ToString("N"))));

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
