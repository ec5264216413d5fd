extern alias worker;

using System.Diagnostics;
using BuildFarm.Core.Caching;
using BuildFarm.Storage.Caching;
using worker::BuildFarm.Worker.Caching;

namespace BuildFarm.Bench.Caching;

/// <summary>
/// Where a save's and a restore's time goes, by taking parts away: the store alone (every blob of
/// the entry fetched in one batch and dropped), the worker alone (a restore whose local blob cache has
/// everything: only links, modes and renames are left), and a save whose blobs are all stored
/// (only reading, hashing and asking the store are left); and, as the floor any restore (tar's too)
/// pays on this file system, the entry's directories and empty files created alone.
/// </summary>
internal static class CacheBreakdown
{
    public static async Task<string> MeasureAsync(
        ICacheStore store, Func<string, DependencyCache> worker, CacheManifest manifest, IReadOnlyList<CacheRoot> source, string directory, CancellationToken cancellationToken)
    {
        var total = manifest.TotalBytes;
        var chunks = manifest.Files.SelectMany(f => f.Chunks).Distinct().ToList();
        var fetchedBytes = 0L;
        var cpu = new CpuSeconds();
        var clock = Stopwatch.StartNew();
        // The same batched fetch a restore uses (S3: packs by ranged GETs), one-chunk files or not.
        await store.FetchBlobsAsync(chunks, new CacheOptions().Parallelism, (_, blob, _) =>
        {
            Interlocked.Add(ref fetchedBytes, blob?.Memory.Length ?? 0);
            blob?.Dispose();
            return ValueTask.CompletedTask;
        }, cancellationToken);
        var fetch = clock.Elapsed.TotalSeconds;
        var fetchCpu = cpu.Elapsed();

        // Worker b restored the entry already, so its local blob cache has every file.
        IReadOnlyList<CacheRoot> target = [new CacheRoot("~/.gradle", Path.Combine(directory, "b-warm", ".gradle"), "")];
        // Trees stay until the run's end (its temp root goes then): deleting thousands of inodes
        // here makes the next store's restore pay ext4's recently-deleted inode scan and this
        // mount's discards in its creates, the likely reason S3, measured after Redis, spent 30
        // times Redis's thread-seconds writing the same files.
        var warm = await worker("b-local").RestoreAsync(manifest.Key, [], target, cancellationToken);

        var resave = await worker("c-local").SaveAsync(manifest.Key + "-again", source, null, cancellationToken);
        var skeleton = Skeleton(manifest, Path.Combine(directory, "skeleton"));
        return $"  {store.Name} breakdown: store GETs alone {fetchedBytes / 1e6 / fetch:0} MB/s ({chunks.Count} blobs, {fetch:0.0} s, {fetchCpu}); "
            + $"restore from a warm local blob cache {total / 1e6 / warm.Elapsed.TotalSeconds:0} MB/s ({warm.Elapsed.TotalSeconds:0.0} s); "
            + $"save with every blob stored {total / 1e6 / resave.Elapsed.TotalSeconds:0} MB/s ({resave.Elapsed.TotalSeconds:0.0} s); "
            + $"its directories and empty files alone {skeleton:0.0} s";
    }

    private static double Skeleton(CacheManifest manifest, string directory)
    {
        var clock = Stopwatch.StartNew();
        foreach (var file in manifest.Files)
        {
            var path = Path.Combine(directory, file.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.Create(path).Dispose();
        }

        return clock.Elapsed.TotalSeconds;
    }
}
