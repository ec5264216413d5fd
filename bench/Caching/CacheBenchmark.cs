extern alias worker;

using System.Diagnostics;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using BuildFarm.Storage.Caching;
using Microsoft.Extensions.Logging.Abstractions;
using worker::BuildFarm.Worker.Caching;

namespace BuildFarm.Bench.Caching;

/// <summary>
/// The dependency cache on a synthetic Gradle home (default 1 GB) against the Redis and s3rver
/// that scripts/bench.sh starts: save and restore throughput, peak RSS growth, the bytes moved
/// after a one-jar bump (save, and restore on a worker that has the previous entry), and the same
/// tree through <c>tar | zstd</c> to a local file for comparison.
/// </summary>
public static class CacheBenchmark
{
    /// <summary>With <c>stores</c> redis or s3, one store alone: measured without the other's run before it on the same disk.</summary>
    public static async Task<int> RunAsync(string stores, long megabytes, CancellationToken cancellationToken)
    {
        string[] backends = stores.ToLowerInvariant() switch
        {
            "redis" => ["Redis"],
            "s3" => ["S3"],
            "both" => ["Redis", "S3"],
            _ => [],
        };
        if (backends.Length == 0)
        {
            await Console.Error.WriteLineAsync($"bench cache: unknown store '{stores}' (redis, s3 or both)");
            return 2;
        }

        var redis = Environment.GetEnvironmentVariable("BUILDFARM_TEST_REDIS");
        var s3 = Environment.GetEnvironmentVariable("BUILDFARM_TEST_S3");
        if (redis is null || s3 is null)
        {
            await Console.Error.WriteLineAsync("bench cache needs BUILDFARM_TEST_REDIS and BUILDFARM_TEST_S3: run it through scripts/bench.sh cache");
            return 2;
        }

        var root = Directory.CreateTempSubdirectory("bf-bench-cache-").FullName;
        try
        {
            var tree = Path.Combine(root, "tree", ".gradle");
            var clock = Stopwatch.StartNew();
            var total = SyntheticGradleCache.Write(tree, megabytes * 1024 * 1024);
            var files = Directory.EnumerateFiles(tree, "*", SearchOption.AllDirectories).Count();
            Console.WriteLine($"synthetic Gradle home: {total / 1e6:0} MB in {files} files (written in {clock.Elapsed.TotalSeconds:0.0} s); chunk {new CacheOptions().ChunkSizeBytes >> 20} MiB, zstd level {new CacheOptions().CompressionLevel}, {new CacheOptions().Parallelism} in flight");
            var (tarSeconds, untarSeconds, tarBytes) = await TarZstdAsync(tree, root, cancellationToken);
            Console.WriteLine($"tar | zstd -3 to a local file: {tarSeconds:0.0} s ({total / 1e6 / tarSeconds:0} MB/s), {tarBytes / 1e6:0} MB; zstd -d | tar x: {untarSeconds:0.0} s ({total / 1e6 / untarSeconds:0} MB/s)");
            Console.WriteLine();
            Console.WriteLine($"{"store",-6} {"save MB/s",10} {"RSS+ MB",8} {"restore MB/s",13} {"RSS+ MB",8} {"× tar save",11} {"× tar restore",14} | {"bump: saved MB",15} {"restored MB",12} {"× jar",6}");
            var breakdowns = new List<string>();
            foreach (var backend in backends)
            {
                var store = backend == "Redis"
                    ? (ICacheStore)new RedisCacheStore(redis, $"bench:{Guid.NewGuid():N}:", TimeSpan.FromDays(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60))
                    : await S3StoreAsync(s3, cancellationToken);
                var row = await MeasureAsync(store, tree, Path.Combine(root, backend), total, cancellationToken);
                breakdowns.Add(row.Breakdown);
                Console.WriteLine(
                    $"{backend,-6} {row.SaveMbps,10:0} {row.SaveRssMb,8:0} {row.RestoreMbps,13:0} {row.RestoreRssMb,8:0} {tarSeconds / row.SaveSeconds,11:0.00} {untarSeconds / row.RestoreSeconds,14:0.00} | {row.BumpSavedBytes / 1e6,15:0.0} {row.BumpRestoredBytes / 1e6,12:0.0} {Math.Max(row.BumpSavedBytes, row.BumpRestoredBytes) / (double)SyntheticGradleCache.BumpedJarBytes,6:0.00}");
                SyntheticGradleCache.Unbump(tree);
                if (store is IAsyncDisposable disposable)
                {
                    await disposable.DisposeAsync();
                }
            }

            Console.WriteLine("× tar: tar|zstd time divided by the cache's (above 1 = faster than tar|zstd to a local file). bump: compressed bytes moved after replacing one 5 MB jar.");
            breakdowns.ForEach(Console.WriteLine);
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<Row> MeasureAsync(ICacheStore store, string tree, string directory, long total, CancellationToken cancellationToken)
    {
        var options = new CacheOptions();
        DependencyCache WorkerWith(string local) => Worker(store, options, Path.Combine(directory, local));
        var a = WorkerWith("a-local");
        var b = WorkerWith("b-local");
        IReadOnlyList<CacheRoot> source = [new CacheRoot("~/.gradle", tree, "")];
        IReadOnlyList<CacheRoot> target = [new CacheRoot("~/.gradle", Path.Combine(directory, "b-home", ".gradle"), "")];

        var rss = PeakMemory.ResetAndReadRss();
        var saved = Check(await a.SaveAsync("bench-v1", source, null, cancellationToken));
        var saveRss = PeakMemory.PeakSince(rss);

        rss = PeakMemory.ResetAndReadRss();
        var cpu = new CpuSeconds();
        var restored = Check(await b.RestoreAsync("bench-v1", [], target, cancellationToken));
        var restoreCpu = cpu.Elapsed();
        var restoreRss = PeakMemory.PeakSince(rss);
        var breakdown = $"  {store.Name} cold restore ({restored.Elapsed.TotalSeconds:0.0} s, {restoreCpu}): {restored.Timings}\n"
            + await CacheBreakdown.MeasureAsync(store, WorkerWith, restored.Manifest!, source, directory, cancellationToken);

        SyntheticGradleCache.Bump(tree);
        var bumped = Check(await a.SaveAsync("bench-v2", source, null, cancellationToken));
        // Into a new home, not the emptied old one: see CacheBreakdown on deleting trees mid-run.
        var again = Check(await b.RestoreAsync("bench-v2", [], [new CacheRoot("~/.gradle", Path.Combine(directory, "b-home-2", ".gradle"), "")], cancellationToken));
        return new Row(
            saved.Elapsed.TotalSeconds, total / 1e6 / saved.Elapsed.TotalSeconds, saveRss / 1e6,
            restored.Elapsed.TotalSeconds, restored.Bytes / 1e6 / restored.Elapsed.TotalSeconds, restoreRss / 1e6,
            bumped.BytesUploaded, again.BytesDownloaded, breakdown);
    }

    private static DependencyCache Worker(ICacheStore store, CacheOptions options, string local) =>
        new(store, new LocalBlobCache(local), options, TimeProvider.System, NullLogger<DependencyCache>.Instance);

    private static CacheSaveResult Check(CacheSaveResult result) =>
        result.Outcome == CacheSaveOutcome.Saved ? result : throw new InvalidOperationException($"save failed: {result}");

    private static CacheRestoreResult Check(CacheRestoreResult result) =>
        result.Outcome == CacheRestoreOutcome.Hit ? result : throw new InvalidOperationException($"restore failed: {result}");

    private static async Task<S3CacheStore> S3StoreAsync(string serviceUrl, CancellationToken cancellationToken)
    {
        var options = new CacheOptions
        {
            Backend = CacheOptions.S3Backend,
            S3ServiceUrl = new Uri(serviceUrl),
            S3Bucket = $"bench-{Guid.NewGuid():N}"[..20],
            S3AccessKey = "S3RVER",
            S3SecretKey = "S3RVER",
            IdleTimeoutMilliseconds = 60_000,
        };
        using var admin = new AmazonS3Client(
            new BasicAWSCredentials("S3RVER", "S3RVER"),
            new AmazonS3Config { ServiceURL = serviceUrl, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        await admin.PutBucketAsync(new PutBucketRequest { BucketName = options.S3Bucket }, cancellationToken);
        return S3CacheStore.Create(options);
    }

    private static async Task<(double Tar, double Untar, long Bytes)> TarZstdAsync(string tree, string root, CancellationToken cancellationToken)
    {
        var archive = Path.Combine(root, "tree.tar.zst");
        var tar = await BashSecondsAsync($"tar -C '{tree}' -cf - . | zstd -3 -q -T1 -o '{archive}'", cancellationToken);
        var output = Directory.CreateDirectory(Path.Combine(root, "untar")).FullName;
        var untar = await BashSecondsAsync($"zstd -d -q -c '{archive}' | tar -C '{output}' -xf -", cancellationToken);
        var bytes = new FileInfo(archive).Length;
        File.Delete(archive);
        // The extracted tree stays until the end (root goes then): deleting its thousands of inodes
        // now would make the next restore's mkdirs and creates pay ext4's recently-deleted inode
        // scan (seconds on this disk), a cost tar's own extraction did not pay.
        return (tar, untar, bytes);
    }

    private static async Task<double> BashSecondsAsync(string command, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(new ProcessStartInfo("bash") { ArgumentList = { "-o", "pipefail", "-c", command } })!;
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode == 0 ? clock.Elapsed.TotalSeconds : throw new InvalidOperationException($"`{command}` exited with {process.ExitCode}");
    }

    private sealed record Row(
        double SaveSeconds, double SaveMbps, double SaveRssMb, double RestoreSeconds, double RestoreMbps, double RestoreRssMb, long BumpSavedBytes, long BumpRestoredBytes, string Breakdown);
}
