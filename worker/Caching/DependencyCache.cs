using System.Diagnostics;
using BuildFarm.Core.Caching;
using BuildFarm.Storage.Caching;

namespace BuildFarm.Worker.Caching;

/// <summary>
/// Content-addressed cache entries on an <see cref="ICacheStore"/> with the worker's local blob
/// cache in front. Restores have connect, idle and overall timeouts and end as a miss (with the
/// reason) on any store or data problem; saves never throw either, so the cache can only make a
/// build faster, never fail it.
/// </summary>
public sealed partial class DependencyCache(
    ICacheStore store,
    LocalBlobCache local,
    CacheOptions options,
    TimeProvider time,
    ILogger<DependencyCache> logger,
    CacheMetrics? metrics = null) : IDependencyCache
{
    private static readonly TimeSpan TrimInterval = TimeSpan.FromMinutes(10);

    private readonly ChunkCodec _codec = new(options.CompressionLevel);
    private readonly Lock _trimLock = new();
    private DateTimeOffset _lastTrim = DateTimeOffset.MinValue;

    public string StoreName => store.Name;

    public async Task<CacheRestoreResult> RestoreAsync(
        string key, IReadOnlyList<string> fallbackPrefixes, IReadOnlyList<CacheRoot> roots, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RestoreTimeoutMilliseconds);
        CacheRestoreResult result;
        try
        {
            var (manifest, fallback) = await CacheRestorer.FindAsync(store, key, fallbackPrefixes, timeout.Token);
            if (manifest is null)
            {
                result = new CacheRestoreResult(CacheRestoreOutcome.Miss, key, null, null);
            }
            else
            {
                var trackAccess = options.DropUnreadFiles && roots.Any(r => r.GradleHomePath is not null) && ProbeAccessTracking(roots);
                var restorer = new CacheRestorer(store, local, options.Parallelism, options.Materialisation == CacheOptions.HardLinkMaterialisation);
                var files = await restorer.RestoreAsync(manifest, roots, trackAccess, timeout.Token);
                result = new CacheRestoreResult(fallback ? CacheRestoreOutcome.FallbackHit : CacheRestoreOutcome.Hit, key, manifest.Key, null)
                {
                    Files = files.Count,
                    Bytes = files.Values.Sum(f => f.File.Size),
                    BytesDownloaded = restorer.BytesDownloaded,
                    BytesFromLocal = restorer.BytesFromLocal,
                    Timings = restorer.Timings,
                    Manifest = manifest,
                    RestoredFiles = files,
                    AccessTracked = trackAccess,
                };
                await RecordRestoreAsync(manifest);
                TrimLocalCache();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            result = new CacheRestoreResult(CacheRestoreOutcome.Miss, key, null, "the job was cancelled");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            result = new CacheRestoreResult(CacheRestoreOutcome.Miss, key, null, $"timed out after {options.RestoreTimeoutMilliseconds} ms");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Whatever went wrong (store away, stalled, corrupt data, a full disk), the build goes on
            // without the cache; the half-restored directories are already gone.
            LogRestoreFailed(logger, ex, key, store.Name);
            result = new CacheRestoreResult(CacheRestoreOutcome.Miss, key, null, Describe(ex));
        }

        result = result with { Elapsed = Stopwatch.GetElapsedTime(started) };
        metrics?.Restored(result);
        return result;
    }

    public async Task<CacheSaveResult> SaveAsync(string key, IReadOnlyList<CacheRoot> roots, CacheRestoreResult? restored, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var createdAt = time.GetUtcNow();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.SaveTimeoutMilliseconds);
        CacheSaveResult result;
        try
        {
            if (CacheKey.Problem(key) is { } problem)
            {
                result = new CacheSaveResult(CacheSaveOutcome.Failed, key, $"the key {problem}");
            }
            else if (await store.HasEntryAsync(key, timeout.Token))
            {
                result = new CacheSaveResult(CacheSaveOutcome.AlreadyExists, key, "the key already has an entry; entries are never overwritten");
            }
            else
            {
                await using var upload = store.BeginUpload();
                var saver = new CacheSaver(upload, _codec, options.ChunkSizeBytes, options.Parallelism);
                var dropped = 0;
                var files = await saver.CollectAsync(roots, restored, d => dropped = d, timeout.Token);
                // The manifest may name only stored blobs: held-back ones (S3 packs) go up first.
                await upload.CompleteAsync(timeout.Token);
                var manifest = new CacheManifest(key, createdAt, options.ChunkSizeBytes, roots.Select(r => r.Name).ToList(), files);
                var entry = new CacheEntryInfo(key, createdAt, manifest.TotalBytes, files.Count, 0, null);
                var published = await store.TryPublishAsync(entry, _codec.CompressManifest(manifest.Serialize()), timeout.Token);
                result = new CacheSaveResult(
                    published ? CacheSaveOutcome.Saved : CacheSaveOutcome.AlreadyExists,
                    key,
                    published ? null : "another save published this key first; entries are never overwritten")
                {
                    Files = files.Count,
                    Bytes = manifest.TotalBytes,
                    BytesUploaded = saver.BytesUploaded,
                    BlobsUploaded = saver.BlobsUploaded,
                    BlobsReused = saver.BlobsReused,
                    FilesDropped = dropped,
                };
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            result = new CacheSaveResult(CacheSaveOutcome.Failed, key, $"timed out after {options.SaveTimeoutMilliseconds} ms");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A save failure never fails the build; blobs already uploaded are unreferenced and the sweep takes them.
            LogSaveFailed(logger, ex, key, store.Name);
            result = new CacheSaveResult(CacheSaveOutcome.Failed, key, Describe(ex));
        }

        result = result with { Elapsed = Stopwatch.GetElapsedTime(started) };
        metrics?.Saved(result);
        return result;
    }

    public Task<CacheEvictionResult> EvictAsync(CancellationToken cancellationToken) =>
        new CacheEvictor(store, options.BudgetBytes, TimeSpan.FromDays(options.IdleDays), TimeSpan.FromMinutes(options.BlobGraceMinutes), time)
            .EvictAsync(cancellationToken);

    private async Task RecordRestoreAsync(CacheManifest manifest)
    {
        // Statistics only: their own short timeout, and a failure is logged, not a miss.
        using var timeout = new CancellationTokenSource(options.IdleTimeoutMilliseconds);
        try
        {
            await store.RecordRestoreAsync(manifest.Key, time.GetUtcNow(), manifest.Files.SelectMany(f => f.Chunks).Distinct().ToList(), timeout.Token);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogRecordFailed(logger, ex, manifest.Key);
        }
    }

    private void TrimLocalCache()
    {
        lock (_trimLock)
        {
            if (time.GetUtcNow() - _lastTrim < TrimInterval)
            {
                return;
            }

            _lastTrim = time.GetUtcNow();
        }

        try
        {
            local.Trim(options.LocalBudgetBytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A file another job is committing right now; the next trim gets it.
            LogTrimFailed(logger, ex);
        }
    }

    private static bool ProbeAccessTracking(IReadOnlyList<CacheRoot> roots)
    {
        // Where the files will be: the restore creates this directory anyway.
        var directory = Path.GetDirectoryName(Path.GetFullPath(roots.First(r => r.GradleHomePath is not null).Directory).TrimEnd('/'))!;
        Directory.CreateDirectory(directory);
        return AccessTracker.IsSupported(directory);
    }

    private static string Describe(Exception ex) => ex switch
    {
        CacheCorruptException => ex.Message,
        TimeoutException or OperationCanceledException => $"the store did not answer in time ({ex.GetType().Name})",
        _ => $"{ex.GetType().Name}: {ex.Message}",
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Restoring cache key {Key} from {Store} failed; treated as a miss")]
    private static partial void LogRestoreFailed(ILogger logger, Exception exception, string key, string store);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Saving cache key {Key} to {Store} failed; the build is unaffected")]
    private static partial void LogSaveFailed(ILogger logger, Exception exception, string key, string store);

    [LoggerMessage(Level = LogLevel.Information, Message = "Trimming the local blob cache failed")]
    private static partial void LogTrimFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording a restore of {Key} failed")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, string key);
}
