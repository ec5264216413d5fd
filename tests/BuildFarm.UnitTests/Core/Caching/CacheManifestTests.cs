using System.Text;
using BuildFarm.Core.Caching;

namespace BuildFarm.UnitTests.Core.Caching;

public sealed class CacheManifestTests
{
    private const string HashA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string HashB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    [Fact]
    public void A_manifest_round_trips()
    {
        var manifest = new CacheManifest("k", DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), 4096, ["~/.gradle"],
        [
            new CacheManifestFile(0, "caches/modules-2/a.jar", 10, 0x1A4, HashA, [HashA]),
            new CacheManifestFile(0, "caches/modules-2/big.jar", 5000, 0x1ED, CacheManifest.ContentIdOf([HashA, HashB]), [HashA, HashB]),
            new CacheManifestFile(0, "empty", 0, 0x1A4, CacheManifest.EmptyContentId, []),
        ]);

        var read = CacheManifest.Deserialize(manifest.Serialize());

        Assert.Equal(manifest.Key, read.Key);
        Assert.Equal(manifest.CreatedAt, read.CreatedAt);
        Assert.Equal(manifest.Roots, read.Roots);
        Assert.Equal(manifest.Files.Select(f => (f.Path, f.Size, f.Mode, f.ContentId, string.Join(',', f.Chunks))),
            read.Files.Select(f => (f.Path, f.Size, f.Mode, f.ContentId, string.Join(',', f.Chunks))));
        Assert.Equal(5010, read.TotalBytes);
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("/etc/passwd")]
    [InlineData("a/../../b")]
    [InlineData("a//b")]
    public void A_path_that_leaves_its_root_is_refused(string path)
    {
        var json = new CacheManifest("k", DateTimeOffset.UnixEpoch, 4096, ["x"], [new CacheManifestFile(0, path, 1, 0, HashA, [HashA])]).Serialize();

        var error = Assert.Throws<InvalidDataException>(() => CacheManifest.Deserialize(json));
        Assert.Contains("plain relative path", error.Message);
    }

    [Fact]
    public void A_content_id_that_does_not_match_the_chunks_is_refused()
    {
        var json = new CacheManifest("k", DateTimeOffset.UnixEpoch, 4096, ["x"], [new CacheManifestFile(0, "a", 1, 0, HashB, [HashA])]).Serialize();

        Assert.Throws<InvalidDataException>(() => CacheManifest.Deserialize(json));
    }

    [Fact]
    public void Garbage_is_refused_with_a_clear_error()
    {
        Assert.Throws<InvalidDataException>(() => CacheManifest.Deserialize(Encoding.UTF8.GetBytes("{\"key\": 1")));
        Assert.Throws<InvalidDataException>(() => CacheManifest.Deserialize(Encoding.UTF8.GetBytes("null")));
    }
}
