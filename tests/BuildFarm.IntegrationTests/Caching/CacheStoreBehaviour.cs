extern alias worker;

using BuildFarm.Core.Caching;
using BuildFarm.Storage.Caching;
using Microsoft.Extensions.Time.Testing;
using worker::BuildFarm.Worker.Caching;

namespace BuildFarm.IntegrationTests.Caching;

/// <summary>
/// What every backend must do, run against each real store (Redis, S3 on s3rver, a directory).
/// Payloads are kilobytes: the behaviour is the same as with gigabytes, which the bench measures.
/// </summary>
public abstract class CacheStoreBehaviour
{
    protected static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private static readonly Dictionary<string, byte[]> Jars = new()
    {
        ["caches/modules-2/files-2.1/org.a/a/1.0/h1/a-1.0.jar"] = CacheTree.RandomBytes(20_000, 1),
        ["caches/modules-2/files-2.1/org.b/b/1.0/h2/b-1.0.jar"] = CacheTree.RandomBytes(30_000, 2),
        ["caches/modules-2/files-2.1/org.c/c/1.0/h3/c-1.0.jar"] = CacheTree.RandomBytes(5_000, 3),
        ["caches/modules-2/metadata-2.36/descriptors/org.a/a/1.0/descriptor.bin"] = "metadata"u8.ToArray(),
        ["wrapper/dists/gradle-8.5-bin/x/gradle-8.5/bin/gradle"] = "#!/bin/sh\n"u8.ToArray(),
    };

    /// <summary>A store of this backend with a namespace no other test sees.</summary>
    protected abstract Task<ICacheStore> CreateStoreAsync(CancellationToken cancellationToken);

    [Fact]
    public async Task A_second_entry_sharing_jars_uploads_and_downloads_only_the_new_one()
    {
        using var timeout = new CancellationTokenSource(Limit);
        var store = new CountingCacheStore(await CreateStoreAsync(timeout.Token));
        using var a = new CacheWorker(store);
        using var b = new CacheWorker(store);
        CacheTree.Write(a.GradleHome, Jars);
        var first = await a.Cache.SaveAsync("gradle-v1", a.GradleRoots, null, timeout.Token);
        Assert.Equal(CacheSaveOutcome.Saved, first.Outcome);
        Assert.Equal(Jars.Count, first.BlobsUploaded);
        Assert.Equal(CacheRestoreOutcome.Hit, (await b.Cache.RestoreAsync("gradle-v1", [], b.GradleRoots, timeout.Token)).Outcome);

        // Bump one dependency: d replaces c.
        var bumped = CacheTree.Replace(
            Jars, "caches/modules-2/files-2.1/org.c/c/1.0/h3/c-1.0.jar", "caches/modules-2/files-2.1/org.c/c/2.0/h4/c-2.0.jar", CacheTree.RandomBytes(6_000, 4));
        a.NewJob();
        CacheTree.Write(a.GradleHome, bumped);
        store.Reset();
        var second = await a.Cache.SaveAsync("gradle-v2", a.GradleRoots, null, timeout.Token);

        Assert.Equal(CacheSaveOutcome.Saved, second.Outcome);
        Assert.Equal(1, second.BlobsUploaded);
        Assert.Equal(1, store.BlobsPut);
        Assert.Equal(Jars.Count - 1, second.BlobsReused);

        var restored = await b.RestoreInNewJobAsync("gradle-v2", store, timeout.Token);

        Assert.Equal(CacheRestoreOutcome.Hit, restored.Outcome);
        Assert.Equal(1, store.BlobsGot);
        Assert.Equal(CacheTree.Hashes(bumped), CacheTree.Read(b.GradleHome));
    }

    [Fact]
    public async Task A_key_once_saved_is_never_overwritten()
    {
        using var timeout = new CancellationTokenSource(Limit);
        var store = await CreateStoreAsync(timeout.Token);
        using var a = new CacheWorker(store);
        CacheTree.Write(a.GradleHome, Jars);
        Assert.Equal(CacheSaveOutcome.Saved, (await a.Cache.SaveAsync("k", a.GradleRoots, null, timeout.Token)).Outcome);
        a.NewJob();
        CacheTree.Write(a.GradleHome, new Dictionary<string, byte[]> { ["caches/modules-2/other.jar"] = [1, 2, 3] });

        var again = await a.Cache.SaveAsync("k", a.GradleRoots, null, timeout.Token);

        Assert.Equal(CacheSaveOutcome.AlreadyExists, again.Outcome);
        using var b = new CacheWorker(store);
        await b.Cache.RestoreAsync("k", [], b.GradleRoots, timeout.Token);
        Assert.Equal(CacheTree.Hashes(Jars), CacheTree.Read(b.GradleHome));
    }

    [Fact]
    public async Task Concurrent_saves_of_one_key_leave_one_complete_entry()
    {
        using var timeout = new CancellationTokenSource(Limit);
        var store = await CreateStoreAsync(timeout.Token);
        var trees = Enumerable.Range(0, 3).Select(i => Jars.ToDictionary(j => j.Key, j => CacheTree.RandomBytes(j.Value.Length, (i * 100) + j.Value.Length))).ToList();
        var workers = trees.Select(_ => new CacheWorker(store)).ToList();
        try
        {
            for (var i = 0; i < trees.Count; i++)
            {
                CacheTree.Write(workers[i].GradleHome, trees[i]);
            }

            var saves = await Task.WhenAll(workers.Select(w => w.Cache.SaveAsync("race", w.GradleRoots, null, timeout.Token)));

            Assert.All(saves, s => Assert.NotEqual(CacheSaveOutcome.Failed, s.Outcome));
            Assert.InRange(saves.Count(s => s.Outcome == CacheSaveOutcome.Saved), 1, ExactlyOneSaveWins ? 1 : trees.Count);
            using var reader = new CacheWorker(store);
            var restored = await reader.Cache.RestoreAsync("race", [], reader.GradleRoots, timeout.Token);
            Assert.Equal(CacheRestoreOutcome.Hit, restored.Outcome);
            var tree = CacheTree.Read(reader.GradleHome);
            Assert.Contains(trees, t => CacheTree.Hashes(t).OrderBy(p => p.Key).SequenceEqual(tree.OrderBy(p => p.Key)));
        }
        finally
        {
            workers.ForEach(w => w.Dispose());
        }
    }

    /// <summary>Changes a stored blob's bytes where the store keeps it; only the hash check can catch what this does.</summary>
    protected virtual Task CorruptBlobAsync(ICacheStore store, string hash, CancellationToken cancellationToken) =>
        // Valid zstd of other bytes.
        store.PutBlobAsync(hash, new ChunkCodec(3).CompressManifest(CacheTree.RandomBytes(30_000, 99)), cancellationToken);

    /// <summary>Whether the backend can make "create if absent" atomic (S3 picks the oldest manifest after the fact).</summary>
    protected virtual bool ExactlyOneSaveWins => true;

    [Fact]
    public async Task Fallback_keys_match_by_prefix_newest_first_and_in_order()
    {
        using var timeout = new CancellationTokenSource(Limit);
        var store = await CreateStoreAsync(timeout.Token);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var a = new CacheWorker(store, time: time);
        foreach (var (key, seed) in new[] { ("deps-main-1", 1), ("deps-main-2", 2), ("other-1", 3) })
        {
            a.NewJob();
            CacheTree.Write(a.GradleHome, new Dictionary<string, byte[]> { ["caches/modules-2/x.jar"] = CacheTree.RandomBytes(100, seed) });
            Assert.Equal(CacheSaveOutcome.Saved, (await a.Cache.SaveAsync(key, a.GradleRoots, null, timeout.Token)).Outcome);
            time.Advance(TimeSpan.FromMinutes(1));
        }

        using var b = new CacheWorker(store);
        var restored = await b.Cache.RestoreAsync("deps-main-3", ["nothing-", "deps-main-", "other-"], b.GradleRoots, timeout.Token);

        Assert.Equal(CacheRestoreOutcome.FallbackHit, restored.Outcome);
        Assert.Equal("deps-main-2", restored.MatchedKey);
        Assert.Equal(CacheTree.Hashes(new Dictionary<string, byte[]> { ["caches/modules-2/x.jar"] = CacheTree.RandomBytes(100, 2) }), CacheTree.Read(b.GradleHome));
        b.NewJob();
        Assert.Equal(CacheRestoreOutcome.Miss, (await b.Cache.RestoreAsync("deps-main-3", ["nothing-"], b.GradleRoots, timeout.Token)).Outcome);
        Assert.False(Directory.Exists(b.GradleHome));
    }

    [Fact]
    public async Task A_corrupted_blob_is_a_miss_and_leaves_nothing_half_restored()
    {
        using var timeout = new CancellationTokenSource(Limit);
        var store = await CreateStoreAsync(timeout.Token);
        using var a = new CacheWorker(store);
        CacheTree.Write(a.GradleHome, Jars);
        await a.Cache.SaveAsync("corrupt", a.GradleRoots, null, timeout.Token);
        var manifest = CacheManifest.Deserialize(ChunkCodec.DecompressManifest((await store.GetManifestAsync("corrupt", timeout.Token))!));
        var victim = manifest.Files.Single(f => f.Path.EndsWith("b-1.0.jar", StringComparison.Ordinal)).Chunks[0];
        await CorruptBlobAsync(store, victim, timeout.Token);

        using var b = new CacheWorker(store);
        var restored = await b.Cache.RestoreAsync("corrupt", [], b.GradleRoots, timeout.Token);

        Assert.Equal(CacheRestoreOutcome.Miss, restored.Outcome);
        Assert.Contains("does not match its hash", restored.Reason);
        Assert.False(Directory.Exists(b.GradleHome));
        Assert.DoesNotContain(Directory.GetDirectories(b.Home), d => d.Contains("restoring", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Large_files_are_split_into_chunks_past_a_small_chunk_size_and_reassembled_exactly()
    {
        using var timeout = new CancellationTokenSource(Limit);
        var store = new CountingCacheStore(await CreateStoreAsync(timeout.Token));
        var options = new CacheOptions { ChunkSizeBytes = 4096 };
        using var a = new CacheWorker(store, options);
        var files = new Dictionary<string, byte[]>
        {
            ["caches/modules-2/big.jar"] = CacheTree.RandomBytes((4096 * 5) + 123, 7),
            ["caches/modules-2/exact.jar"] = CacheTree.RandomBytes(4096 * 2, 8),
            ["caches/modules-2/empty.jar"] = [],
        };
        CacheTree.Write(a.GradleHome, files);

        var saved = await a.Cache.SaveAsync("chunks", a.GradleRoots, null, timeout.Token);

        Assert.Equal(6 + 2, saved.BlobsUploaded);
        using var b = new CacheWorker(store, new CacheOptions { ChunkSizeBytes = 65536 });
        var restored = await b.Cache.RestoreAsync("chunks", [], b.GradleRoots, timeout.Token);
        Assert.Equal(CacheRestoreOutcome.Hit, restored.Outcome);
        Assert.Equal(CacheTree.Hashes(files), CacheTree.Read(b.GradleHome));
    }

    [Fact]
    public async Task Eviction_removes_idle_then_least_recently_restored_entries_and_only_unreferenced_blobs_past_the_grace()
    {
        using var timeout = new CancellationTokenSource(Limit);
        var store = await CreateStoreAsync(timeout.Token);
        // The store stamps blobs with its own (real) clock; the entries' clock starts ten days back.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow - TimeSpan.FromDays(10));
        var options = new CacheOptions { BudgetBytes = 1024 * 1024, IdleDays = 7, BlobGraceMinutes = 60 };
        using var worker = new CacheWorker(store, options, time);
        var shared = CacheTree.RandomBytes(300_000, 10);
        foreach (var (key, seed) in new[] { ("e-old", 11), ("e-a", 12), ("e-b", 13), ("e-c", 14) })
        {
            worker.NewJob();
            CacheTree.Write(worker.GradleHome, new Dictionary<string, byte[]>
            {
                ["caches/modules-2/shared.jar"] = shared,
                ["caches/modules-2/own.jar"] = CacheTree.RandomBytes(300_000, seed),
            });
            Assert.Equal(CacheSaveOutcome.Saved, (await worker.Cache.SaveAsync(key, worker.GradleRoots, null, timeout.Token)).Outcome);
            time.Advance(key == "e-old" ? TimeSpan.FromDays(8) : TimeSpan.FromHours(1));
        }

        // e-a is restored last, so e-b is the least recently used of the three young entries.
        worker.NewJob();
        Assert.Equal(CacheRestoreOutcome.Hit, (await worker.Cache.RestoreAsync("e-a", [], worker.GradleRoots, timeout.Token)).Outcome);
        var before = (await store.ListBlobsAsync(timeout.Token)).Count;

        var withinGrace = await worker.Cache.EvictAsync(timeout.Token);

        // 1 MiB budget: shared + three own jars is 1.2 MB; e-old is idle, then e-b goes.
        Assert.Equal(["e-old", "e-b"], withinGrace.EvictedKeys);
        Assert.Equal(0, withinGrace.BlobsDeleted);
        Assert.Equal(before, (await store.ListBlobsAsync(timeout.Token)).Count);
        Assert.Equal(["e-a", "e-c"], (await store.ListEntriesAsync("e-", timeout.Token)).Select(e => e.Key).Order(StringComparer.Ordinal));

        time.SetUtcNow(DateTimeOffset.UtcNow + TimeSpan.FromHours(2));
        using var later = new CacheWorker(store, new CacheOptions { BudgetBytes = 1024 * 1024, IdleDays = 30 }, time);
        var pastGrace = await later.Cache.EvictAsync(timeout.Token);

        Assert.Empty(pastGrace.EvictedKeys);
        Assert.Equal(2, pastGrace.BlobsDeleted);
        using var reader = new CacheWorker(store);
        Assert.Equal(CacheRestoreOutcome.Hit, (await reader.Cache.RestoreAsync("e-c", [], reader.GradleRoots, timeout.Token)).Outcome);
    }
}
