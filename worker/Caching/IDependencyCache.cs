namespace BuildFarm.Worker.Caching;

/// <summary>Restores and saves directories as content-addressed cache entries. Neither ever throws for a store problem.</summary>
public interface IDependencyCache
{
    string StoreName { get; }

    /// <summary>The exact key, else the newest entry of each fallback prefix in order; a failure is a miss, and nothing half-restored is left.</summary>
    Task<CacheRestoreResult> RestoreAsync(string key, IReadOnlyList<string> fallbackPrefixes, IReadOnlyList<CacheRoot> roots, CancellationToken cancellationToken);

    /// <summary>Saves the roots under a new key, uploading only blobs the store lacks; an existing key is left alone.</summary>
    Task<CacheSaveResult> SaveAsync(string key, IReadOnlyList<CacheRoot> roots, CacheRestoreResult? restored, CancellationToken cancellationToken);

    /// <summary>Evicts idle entries and, above the budget, the least recently restored; then deletes unreferenced blobs past the grace period.</summary>
    Task<CacheEvictionResult> EvictAsync(CancellationToken cancellationToken);
}
