extern alias worker;

using BuildFarm.Storage.Caching;
using Microsoft.Extensions.Logging.Abstractions;
using worker::BuildFarm.Worker.Caching;

namespace BuildFarm.IntegrationTests.Caching;

/// <summary>One worker's side of the cache in a test: its own local blob cache and its own HOME, on a shared store.</summary>
internal sealed class CacheWorker : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("bf-cache-worker-").FullName;

    public CacheWorker(ICacheStore store, CacheOptions? options = null, TimeProvider? time = null)
    {
        Options = options ?? new CacheOptions();
        Options.LocalRoot = Path.Combine(_directory, "local");
        Cache = new DependencyCache(store, new LocalBlobCache(Options.LocalRoot), Options, time ?? TimeProvider.System, NullLogger<DependencyCache>.Instance);
    }

    public CacheOptions Options { get; }

    public DependencyCache Cache { get; }

    public string Home => Path.Combine(_directory, "home");

    public string GradleHome => Path.Combine(Home, ".gradle");

    public IReadOnlyList<CacheRoot> GradleRoots => [new CacheRoot("~/.gradle", GradleHome, "")];

    /// <summary>A fresh HOME, as the next job on this worker gets; the local blob cache stays.</summary>
    public void NewJob()
    {
        if (Directory.Exists(Home))
        {
            Directory.Delete(Home, recursive: true);
        }
    }

    /// <summary>The next job on this worker restores <paramref name="key"/>, with the store's counts from zero.</summary>
    public Task<CacheRestoreResult> RestoreInNewJobAsync(string key, CountingCacheStore store, CancellationToken cancellationToken)
    {
        NewJob();
        store.Reset();
        return Cache.RestoreAsync(key, [], GradleRoots, cancellationToken);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS temp cleaner; never a reason to fail a test.
        }
    }
}
