using System.Security.Cryptography;
using System.Text;
using BuildFarm.Storage.Artifacts;

namespace BuildFarm.UnitTests.Worker.Artifacts;

public sealed class FileSystemArtifactStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("buildfarm-artifact-store-").FullName;
    private readonly FileSystemArtifactStore _store;

    public FileSystemArtifactStoreTests()
    {
        _store = new FileSystemArtifactStore(_root);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3 * 1024 * 1024 + 5)]
    public async Task An_artifact_reads_back_identical_with_the_sha256_of_its_content(int size)
    {
        var content = RandomNumberGenerator.GetBytes(size);

        var stored = await _store.PutAsync("web/run-1/primary.zip", new MemoryStream(content), size, CancellationToken.None);
        await using var read = await _store.OpenReadAsync("web/run-1/primary.zip", CancellationToken.None);
        using var readBack = new MemoryStream();
        await read.CopyToAsync(readBack);

        Assert.Equal(content, readBack.ToArray());
        Assert.Equal(new StoredArtifact("web/run-1/primary.zip", size, Convert.ToHexStringLower(SHA256.HashData(content))), stored);
        Assert.True(File.Exists(Path.Combine(_root, "web", "run-1", "primary.zip")));
    }

    [Fact]
    public async Task The_checksum_file_beside_the_artifact_is_in_sha256sum_format()
    {
        var stored = await PutTextAsync("web/run-1/primary.zip", "zip bytes");

        var checksum = await File.ReadAllTextAsync(Path.Combine(_root, "web", "run-1", "primary.zip.sha256"));

        Assert.Equal($"{stored.Sha256}  primary.zip\n", checksum);
    }

    [Fact]
    public async Task Putting_again_replaces_the_artifact_and_its_checksum()
    {
        await PutTextAsync("web/run-1/primary.zip", "first attempt");
        var second = await PutTextAsync("web/run-1/primary.zip", "second");

        var listed = await _store.ListAsync("web/run-1/", CancellationToken.None);

        Assert.Equal([second], listed);
        Assert.Equal("second", await ReadTextAsync("web/run-1/primary.zip"));
    }

    [Fact]
    public async Task Listing_by_prefix_returns_artifacts_only_in_key_order()
    {
        var b = await PutTextAsync("web/run-1/reports.zip", "reports");
        var a = await PutTextAsync("web/run-1/primary.zip", "primary");
        await PutTextAsync("web/run-2/primary.zip", "other run");
        await PutTextAsync("api/run-1/primary.zip", "other pipeline");

        Assert.Equal([a, b], await _store.ListAsync("web/run-1/", CancellationToken.None));
        Assert.Equal(3, (await _store.ListAsync("web/", CancellationToken.None)).Count);
        Assert.Equal([a], await _store.ListAsync("web/run-1/p", CancellationToken.None));
        Assert.Equal(3, (await _store.ListAsync("web/run-", CancellationToken.None)).Count);
        Assert.Equal(4, (await _store.ListAsync("", CancellationToken.None)).Count);
        Assert.Empty(await _store.ListAsync("nothing/", CancellationToken.None));
    }

    [Fact]
    public async Task Content_without_its_checksum_file_is_listed_with_a_computed_checksum()
    {
        var stored = await PutTextAsync("web/run-1/primary.zip", "content");
        File.Delete(Path.Combine(_root, "web", "run-1", "primary.zip.sha256"));

        var listed = await _store.ListAsync("web/", CancellationToken.None);

        Assert.Equal([stored], listed);
    }

    [Theory]
    [InlineData("../escape.zip")]
    [InlineData("web/../../escape.zip")]
    [InlineData("web/./x.zip")]
    [InlineData("/etc/passwd")]
    [InlineData("web//x.zip")]
    [InlineData("web\\x.zip")]
    [InlineData(".incoming/x.zip")]
    [InlineData("web/x.zip.sha256")]
    [InlineData("")]
    public async Task Keys_that_could_leave_the_root_or_clash_with_the_stores_own_files_are_refused(string key)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _store.PutAsync(key, new MemoryStream([1]), 1, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.OpenReadAsync(key, CancellationToken.None));

        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(_root)!, "escape.zip")));
    }

    [Theory]
    [InlineData(10, 9)]
    [InlineData(10, 11)]
    public async Task Content_of_another_length_than_declared_is_refused_and_nothing_is_stored(int actual, int declared)
    {
        await Assert.ThrowsAsync<InvalidDataException>(() =>
            _store.PutAsync("web/run-1/primary.zip", new MemoryStream(new byte[actual]), declared, CancellationToken.None));

        Assert.Empty(await _store.ListAsync("", CancellationToken.None));
        Assert.Empty(Directory.GetFiles(Path.Combine(_root, ".incoming")));
    }

    [Fact]
    public async Task A_missing_artifact_is_file_not_found()
    {
        await Assert.ThrowsAsync<FileNotFoundException>(() => _store.OpenReadAsync("web/run-9/primary.zip", CancellationToken.None));
        await PutTextAsync("web/run-1/primary.zip", "x");
        await Assert.ThrowsAsync<FileNotFoundException>(() => _store.OpenReadAsync("web/run-1/other.zip", CancellationToken.None));
    }

    private Task<StoredArtifact> PutTextAsync(string key, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return _store.PutAsync(key, new MemoryStream(bytes), bytes.Length, CancellationToken.None);
    }

    private async Task<string> ReadTextAsync(string key)
    {
        await using var stream = await _store.OpenReadAsync(key, CancellationToken.None);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}
