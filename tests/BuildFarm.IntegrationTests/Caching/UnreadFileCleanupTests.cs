extern alias worker;

using BuildFarm.Storage.Caching;
using worker::BuildFarm.Worker.Caching;

namespace BuildFarm.IntegrationTests.Caching;

/// <summary>
/// Entries must not grow forever: a restored dependency the build never read (an older version
/// after a bump) is left out of the next entry, the way setup-gradle's cleanup does. Reads are
/// seen through access times on the real file system.
/// </summary>
public sealed class UnreadFileCleanupTests : IDisposable
{
    private readonly string _store = Directory.CreateTempSubdirectory("bf-cache-cleanup-").FullName;

    [Fact]
    public async Task Restored_dependency_files_the_build_did_not_read_are_dropped_from_the_next_entry()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var store = new FileSystemCacheStore(_store);
        var files = new Dictionary<string, byte[]>
        {
            ["caches/modules-2/files-2.1/org.a/a/1.0/h1/a-1.0.jar"] = CacheTree.RandomBytes(5000, 1),
            ["caches/modules-2/files-2.1/org.a/a/0.9/h0/a-0.9.jar"] = CacheTree.RandomBytes(5000, 2),
            ["caches/modules-2/files-2.1/org.b/b/1.0/h2/b-1.0.jar"] = CacheTree.RandomBytes(5000, 3),
            ["caches/modules-2/metadata-2.36/descriptors/org.a/a/0.9/descriptor.bin"] = [1, 2, 3],
        };
        using (var first = new CacheWorker(store))
        {
            CacheTree.Write(first.GradleHome, files);
            await first.Cache.SaveAsync("v1", first.GradleRoots, null, timeout.Token);
        }

        using var build = new CacheWorker(store);
        var restored = await build.Cache.RestoreAsync("v1", [], build.GradleRoots, timeout.Token);
        Assert.True(restored.AccessTracked, "this file system does not keep access times; the cleanup cannot be shown here");
        // The "build": reads a 1.0 and b 1.0, downloads c.
        _ = await File.ReadAllBytesAsync(Path.Combine(build.GradleHome, "caches/modules-2/files-2.1/org.a/a/1.0/h1/a-1.0.jar"), timeout.Token);
        _ = await File.ReadAllBytesAsync(Path.Combine(build.GradleHome, "caches/modules-2/files-2.1/org.b/b/1.0/h2/b-1.0.jar"), timeout.Token);
        var added = new Dictionary<string, byte[]> { ["caches/modules-2/files-2.1/org.c/c/1.0/h3/c-1.0.jar"] = CacheTree.RandomBytes(5000, 4) };
        CacheTree.Write(build.GradleHome, added);

        var saved = await build.Cache.SaveAsync("v2", build.GradleRoots, restored, timeout.Token);

        Assert.Equal(CacheSaveOutcome.Saved, saved.Outcome);
        Assert.Equal(1, saved.FilesDropped);
        Assert.Equal(1, saved.BlobsUploaded);
        using var next = new CacheWorker(store);
        await next.Cache.RestoreAsync("v2", [], next.GradleRoots, timeout.Token);
        var expected = new Dictionary<string, byte[]>(files.Concat(added));
        // The unread old version goes; unread metadata stays (Gradle reads only parts of its stores).
        expected.Remove("caches/modules-2/files-2.1/org.a/a/0.9/h0/a-0.9.jar");
        Assert.Equal(CacheTree.Hashes(expected), CacheTree.Read(next.GradleHome));
    }

    public void Dispose() => Directory.Delete(_store, recursive: true);
}
