extern alias worker;

using BuildFarm.Cli.Commands;
using worker::BuildFarm.Worker.Caching;
using worker::BuildFarm.Worker.Options;

namespace BuildFarm.IntegrationTests.Caching;

/// <summary>`buildfarm cache list|purge|evict` on a store the way workers configure it.</summary>
public sealed class CacheCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("bf-cache-cli-").FullName;

    [Fact]
    public async Task List_shows_entries_with_hits_and_purge_by_prefix_removes_them()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var options = new CacheOptions { Backend = CacheOptions.FileSystemBackend, FileSystemRoot = Path.Combine(_root, "store"), LocalRoot = Path.Combine(_root, "local") };
        var store = CacheStores.Create(options);
        using var worker = new CacheWorker(store);
        foreach (var key in new[] { "gradle-web-1", "gradle-web-2", "npm-1" })
        {
            worker.NewJob();
            CacheTree.Write(worker.GradleHome, new Dictionary<string, byte[]> { ["caches/modules-2/x.jar"] = CacheTree.RandomBytes(2_000_000, key.Length + key[^1]) });
            await worker.Cache.SaveAsync(key, worker.GradleRoots, null, timeout.Token);
        }

        worker.NewJob();
        await worker.Cache.RestoreAsync("gradle-web-2", [], worker.GradleRoots, timeout.Token);

        var (code, listed) = await RunAsync(options, "cache", "list");
        Assert.Equal(0, code);
        var lines = listed.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("KEY", lines[0]);
        Assert.Matches(@"^gradle-web-2\s+2\.0 MB\s+1\s+.+\s+1$", lines[1]);
        Assert.Equal(4, lines.Length);

        var (purged, output) = await RunAsync(options, "cache", "purge", "--prefix", "gradle-web-");
        Assert.Equal(0, purged);
        Assert.Contains("purged gradle-web-1", output);
        Assert.Equal(["npm-1"], (await store.ListEntriesAsync("", timeout.Token)).Select(e => e.Key));

        var (usage, _) = await RunAsync(options, "cache", "purge");
        Assert.Equal(2, usage);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static async Task<(int Code, string Output)> RunAsync(CacheOptions options, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CacheCommand.ExecuteAsync(args, options, output, error, TimeProvider.System, CancellationToken.None);
        return (code, output.ToString() + error);
    }
}
