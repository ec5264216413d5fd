extern alias worker;

using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using BuildFarm.IntegrationTests.Fixtures;
using BuildFarm.Storage.Caching;
using worker::BuildFarm.Worker.Caching;

namespace BuildFarm.IntegrationTests.Caching;

/// <summary>
/// S3 packs small blobs: a Gradle home's hundreds of small jars must cost a handful of requests
/// each way, restore byte-exact, deduplicate across entries and survive racing saves. Requests are
/// counted, never timed; the bench shows the speed.
/// </summary>
[Collection(S3Collection.Name)]
public sealed class S3PackTests(S3Fixture s3)
{
    private const string Prefix = "cache/";
    private const int FileCount = 300;

    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Many_small_files_travel_in_a_few_packs_and_restore_byte_exact()
    {
        using var timeout = new CancellationTokenSource(Limit);
        var bucket = await s3.CreateBucketAsync("packs", timeout.Token);
        var packs = new S3BucketPacks(s3.Client, bucket, Prefix);
        var tree = SmallJars(FileCount, seed: 1);
        using var saving = new S3RequestCounter(s3);
        using var a = new CacheWorker(new S3CacheStore(saving.Client, bucket, Prefix));
        CacheTree.Write(a.GradleHome, tree);

        var saved = await a.Cache.SaveAsync("many", a.GradleRoots, null, timeout.Token);

        Assert.Equal(CacheSaveOutcome.Saved, saved.Outcome);
        Assert.Equal(FileCount, saved.BlobsUploaded);
        var stored = await packs.PacksAsync(timeout.Token);
        Assert.Equal(FileCount, stored.Values.Sum(m => m.Count));
        Assert.Empty(await packs.KeysAsync("blobs/", timeout.Token));
        // One PUT per pack and per index, the manifest and the entry record; no HEAD per blob.
        Assert.Equal(0, saving["GetObjectMetadataRequest"]);
        Assert.InRange(saving["PutObjectRequest"], 2, (2 * stored.Count) + 2);

        // Another worker, another process: a store that has read no pack index yet.
        using var restoring = new S3RequestCounter(s3);
        using var b = new CacheWorker(new S3CacheStore(restoring.Client, bucket, Prefix));
        var restored = await b.Cache.RestoreAsync("many", [], b.GradleRoots, timeout.Token);

        Assert.Equal(CacheRestoreOutcome.Hit, restored.Outcome);
        Assert.Equal(CacheTree.Hashes(tree), CacheTree.Read(b.GradleHome));
        // A ranged GET per pack and one per index, the manifest, the entry record (hit count).
        Assert.InRange(restoring["GetObjectRequest"], stored.Count, (2 * stored.Count) + 2);
    }

    [Fact]
    public async Task A_bump_uploads_one_small_pack_and_a_warm_worker_reads_only_its_member()
    {
        using var timeout = new CancellationTokenSource(Limit);
        var bucket = await s3.CreateBucketAsync("packs", timeout.Token);
        var packs = new S3BucketPacks(s3.Client, bucket, Prefix);
        var store = new CountingCacheStore(new S3CacheStore(s3.Client, bucket, Prefix));
        using var a = new CacheWorker(store);
        using var b = new CacheWorker(store);
        var tree = SmallJars(FileCount, seed: 2);
        CacheTree.Write(a.GradleHome, tree);
        Assert.Equal(CacheSaveOutcome.Saved, (await a.Cache.SaveAsync("deps-1", a.GradleRoots, null, timeout.Token)).Outcome);
        Assert.Equal(CacheRestoreOutcome.Hit, (await b.Cache.RestoreAsync("deps-1", [], b.GradleRoots, timeout.Token)).Outcome);
        var before = await packs.PacksAsync(timeout.Token);

        var newJar = CacheTree.RandomBytes(50_000, 3);
        var bumped = CacheTree.Replace(tree, tree.Keys.First(), "caches/modules-2/files-2.1/org.new/new/2.0/h/new-2.0.jar", newJar);
        a.NewJob();
        CacheTree.Write(a.GradleHome, bumped);
        store.Reset();
        var saved = await a.Cache.SaveAsync("deps-2", a.GradleRoots, null, timeout.Token);

        Assert.Equal(CacheSaveOutcome.Saved, saved.Outcome);
        Assert.Equal(1, saved.BlobsUploaded);
        var added = (await packs.PacksAsync(timeout.Token)).Where(p => !before.ContainsKey(p.Key)).ToList();
        Assert.Single(added);
        Assert.Single(added[0].Value);
        Assert.InRange(saved.BytesUploaded, 1, 2 * newJar.Length);

        var restored = await b.RestoreInNewJobAsync("deps-2", store, timeout.Token);

        Assert.Equal(CacheRestoreOutcome.Hit, restored.Outcome);
        Assert.Equal(1, store.BlobsGot);
        Assert.InRange(restored.BytesDownloaded, 1, 2 * newJar.Length);
        Assert.Equal(CacheTree.Hashes(bumped), CacheTree.Read(b.GradleHome));
    }

    [Fact]
    public async Task Concurrent_saves_of_one_key_and_the_same_files_leave_one_entry_that_restores_exactly()
    {
        using var timeout = new CancellationTokenSource(Limit);
        var bucket = await s3.CreateBucketAsync("packs", timeout.Token);
        var tree = SmallJars(FileCount, seed: 4);
        var workers = Enumerable.Range(0, 3).Select(_ => new CacheWorker(new S3CacheStore(s3.Client, bucket, Prefix))).ToList();
        try
        {
            workers.ForEach(w => CacheTree.Write(w.GradleHome, tree));

            var saves = await Task.WhenAll(workers.Select(w => w.Cache.SaveAsync("same", w.GradleRoots, null, timeout.Token)));

            Assert.All(saves, s => Assert.NotEqual(CacheSaveOutcome.Failed, s.Outcome));
            Assert.Contains(saves, s => s.Outcome == CacheSaveOutcome.Saved);
            using var reader = new CacheWorker(new S3CacheStore(s3.Client, bucket, Prefix));
            var restored = await reader.Cache.RestoreAsync("same", [], reader.GradleRoots, timeout.Token);
            Assert.Equal(CacheRestoreOutcome.Hit, restored.Outcome);
            Assert.Equal(CacheTree.Hashes(tree), CacheTree.Read(reader.GradleHome));
        }
        finally
        {
            workers.ForEach(w => w.Dispose());
        }
    }

    [Fact]
    public async Task An_entry_saved_before_packs_still_restores_and_the_next_save_moves_its_small_blobs_into_packs()
    {
        using var timeout = new CancellationTokenSource(Limit);
        var bucket = await s3.CreateBucketAsync("packs", timeout.Token);
        var packs = new S3BucketPacks(s3.Client, bucket, Prefix);
        var tree = SmallJars(40, seed: 5);
        using var old = new CacheWorker(new CountingCacheStore(new S3CacheStore(s3.Client, bucket, Prefix), uploadBlobByBlob: true));
        CacheTree.Write(old.GradleHome, tree);
        Assert.Equal(CacheSaveOutcome.Saved, (await old.Cache.SaveAsync("before", old.GradleRoots, null, timeout.Token)).Outcome);
        Assert.Equal(tree.Count, (await packs.KeysAsync("blobs/", timeout.Token)).Count);
        Assert.Empty(await packs.PacksAsync(timeout.Token));

        using var b = new CacheWorker(new S3CacheStore(s3.Client, bucket, Prefix));
        var restored = await b.Cache.RestoreAsync("before", [], b.GradleRoots, timeout.Token);

        Assert.Equal(CacheRestoreOutcome.Hit, restored.Outcome);
        Assert.Equal(CacheTree.Hashes(tree), CacheTree.Read(b.GradleHome));

        b.NewJob();
        CacheTree.Write(b.GradleHome, tree);
        var saved = await b.Cache.SaveAsync("after", b.GradleRoots, null, timeout.Token);

        Assert.Equal(CacheSaveOutcome.Saved, saved.Outcome);
        Assert.Equal(tree.Count, (await packs.PacksAsync(timeout.Token)).Values.Sum(m => m.Count));
        using var c = new CacheWorker(new S3CacheStore(s3.Client, bucket, Prefix));
        Assert.Equal(CacheRestoreOutcome.Hit, (await c.Cache.RestoreAsync("after", [], c.GradleRoots, timeout.Token)).Outcome);
        Assert.Equal(CacheTree.Hashes(tree), CacheTree.Read(c.GradleHome));
    }

    [Fact]
    public async Task A_corrupt_member_among_hundreds_is_a_miss_and_the_local_blob_cache_keeps_only_verified_content()
    {
        using var timeout = new CancellationTokenSource(Limit);
        var bucket = await s3.CreateBucketAsync("packs", timeout.Token);
        var tree = SmallJars(FileCount, seed: 6);
        using var a = new CacheWorker(new S3CacheStore(s3.Client, bucket, Prefix));
        CacheTree.Write(a.GradleHome, tree);
        Assert.Equal(CacheSaveOutcome.Saved, (await a.Cache.SaveAsync("corrupt", a.GradleRoots, null, timeout.Token)).Outcome);
        // A jar late in the tree: by the time its blob is checked, hundreds of others were written and linked.
        var victim = CacheTree.Hashes(tree)[tree.Keys.Where(k => k.EndsWith(".jar", StringComparison.Ordinal)).Last()];
        await new S3BucketPacks(s3.Client, bucket, Prefix).CorruptMemberAsync(victim, timeout.Token);

        using var b = new CacheWorker(new S3CacheStore(s3.Client, bucket, Prefix));
        var restored = await b.Cache.RestoreAsync("corrupt", [], b.GradleRoots, timeout.Token);

        Assert.Equal(CacheRestoreOutcome.Miss, restored.Outcome);
        Assert.Contains("does not match its hash", restored.Reason);
        Assert.False(Directory.Exists(b.GradleHome));
        Assert.DoesNotContain(Directory.GetDirectories(b.Home), d => d.Contains("restoring", StringComparison.Ordinal));
        var kept = Directory.EnumerateFiles(Path.Combine(b.Options.LocalRoot, "files"), "*", SearchOption.AllDirectories).ToList();
        Assert.DoesNotContain(kept, f => Path.GetFileName(f) == victim);
        Assert.All(kept, f => Assert.Equal(Path.GetFileName(f), Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f)))));
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public async Task Copied_files_keep_content_shared_by_several_paths_and_their_modes_and_a_build_changing_one_leaves_the_next_restore_exact()
    {
        using var timeout = new CancellationTokenSource(Limit);
        var bucket = await s3.CreateBucketAsync("packs", timeout.Token);
        var tree = SmallJars(FileCount, seed: 7);
        var shared = CacheTree.RandomBytes(12_345, 8);
        tree["caches/modules-2/files-2.1/org.dup/dup/1.0/h1/dup-1.0.jar"] = shared;
        tree["caches/jars-9/h2/dup-1.0.jar"] = shared;
        const string Script = "wrapper/dists/gradle-8.5-bin/x/gradle-8.5/bin/gradle";
        tree[Script] = "#!/bin/sh\nexec java \"$@\"\n"u8.ToArray();
        using var a = new CacheWorker(new S3CacheStore(s3.Client, bucket, Prefix));
        CacheTree.Write(a.GradleHome, tree);
        File.SetUnixFileMode(Path.Combine(a.GradleHome, Script), (UnixFileMode)0b111_101_101);
        Assert.Equal(CacheSaveOutcome.Saved, (await a.Cache.SaveAsync("copied", a.GradleRoots, null, timeout.Token)).Outcome);

        var store = new CountingCacheStore(new S3CacheStore(s3.Client, bucket, Prefix));
        using var b = new CacheWorker(store, new CacheOptions { Materialisation = CacheOptions.CopyMaterialisation });
        var restored = await b.Cache.RestoreAsync("copied", [], b.GradleRoots, timeout.Token);

        Assert.Equal(CacheRestoreOutcome.Hit, restored.Outcome);
        Assert.Equal(CacheTree.Hashes(tree), CacheTree.Read(b.GradleHome));
        Assert.Equal((UnixFileMode)0b111_101_101, File.GetUnixFileMode(Path.Combine(b.GradleHome, Script)));
        Assert.Equal(tree.Count, restored.RestoredFiles.Count);

        // A build that writes into a restored jar must not reach the worker's own copy.
        await File.WriteAllBytesAsync(Path.Combine(b.GradleHome, "caches/jars-9/h2/dup-1.0.jar"), [1, 2, 3], timeout.Token);
        var again = await b.RestoreInNewJobAsync("copied", store, timeout.Token);

        Assert.Equal(CacheRestoreOutcome.Hit, again.Outcome);
        Assert.Equal(0, store.BlobsGot);
        Assert.Equal(CacheTree.Hashes(tree), CacheTree.Read(b.GradleHome));
    }

    /// <summary>Jars of 1 to 20 KB (random, so stored as they are) and every third one a pom (text, so zstd frames).</summary>
    private static Dictionary<string, byte[]> SmallJars(int count, int seed) =>
        Enumerable.Range(0, count).ToDictionary(
            i => $"caches/modules-2/files-2.1/org.p{i / 10}/p{i}/1.0/h{i}/p{i}-1.0.{(i % 3 == 0 ? "pom" : "jar")}",
            i => i % 3 == 0
                ? Encoding.UTF8.GetBytes($"<project><artifactId>p{i}</artifactId><seed>{seed}</seed>{new string(' ', 1000 + i)}</project>")
                : CacheTree.RandomBytes(1_000 + (i * 397 % 20_000), (seed * 10_000) + i));
}
