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

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
