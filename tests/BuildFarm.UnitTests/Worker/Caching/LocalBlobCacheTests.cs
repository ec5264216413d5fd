using BuildFarm.Worker.Caching;

namespace BuildFarm.UnitTests.Worker.Caching;

public sealed class LocalBlobCacheTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("buildfarm-local-blobs-").FullName;

    [Fact]
    public void Trim_deletes_the_least_recently_used_files_down_to_the_budget()
    {
        var cache = new LocalBlobCache(_root);
        var ids = new[] { new string('a', 64), new string('b', 64), new string('c', 64) };
        for (var i = 0; i < ids.Length; i++)
        {
            var incoming = cache.NewIncomingPath();
            File.WriteAllBytes(incoming, new byte[1000]);
            var path = cache.Commit(incoming, ids[i]);
            File.SetLastAccessTimeUtc(path, new DateTime(2020, 1, 1 + i, 0, 0, 0, DateTimeKind.Utc));
        }

        var freed = cache.Trim(budgetBytes: 2000);

        Assert.Equal(1000, freed);
        Assert.False(cache.Has(ids[0], 1000));
        Assert.True(cache.Has(ids[1], 1000));
        Assert.True(cache.Has(ids[2], 1000));
        Assert.False(cache.Has(ids[2], 999));
    }

    [Fact]
    public void A_restored_file_is_adopted_as_a_link_and_replaces_a_copy_a_build_changed()
    {
        var cache = new LocalBlobCache(_root);
        var id = new string('d', 64);
        var changed = cache.NewIncomingPath();
        File.WriteAllBytes(changed, [9, 9]);
        cache.Commit(changed, id);
        var restored = Path.Combine(_root, "restored.jar");
        File.WriteAllBytes(restored, [1, 2, 3]);

        Assert.True(cache.TryAdopt(restored, id));

        Assert.True(cache.Has(id, 3));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(cache.PathOf(id)));
        // One file under two names: a write through one shows through the other.
        File.WriteAllBytes(restored, [4, 5, 6]);
        Assert.Equal([4, 5, 6], File.ReadAllBytes(cache.PathOf(id)));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root, "incoming")));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
