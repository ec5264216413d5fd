using System.Text.Json;
using BuildFarm.Cli.Commands;
using BuildFarm.Storage.Caching;

namespace BuildFarm.IntegrationTests.Caching;

/// <summary>`buildfarm cache list|purge|evict` in the direct mode: on a store the way workers configure it, no coordinator.</summary>
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

        // The same JSON as through the coordinator: the API's ListCacheEntriesResponse.
        (code, listed) = await RunAsync(options, "cache", "list", "--prefix", "gradle-", "--json");
        Assert.Equal(0, code);
        var entries = JsonDocument.Parse(listed).RootElement.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(["gradle-web-2", "gradle-web-1"], entries.Select(e => e.GetProperty("key").GetString()));
        Assert.Equal("1", entries[0].GetProperty("hits").GetString());
        Assert.Equal("2000000", entries[0].GetProperty("sizeBytes").GetString());
        // Never restored: no last hit (absent from the JSON, as an unset timestamp is).
        Assert.False(entries[1].TryGetProperty("lastHitAt", out var lastHit) && lastHit.ValueKind != JsonValueKind.Null);

        var (purged, output) = await RunAsync(options, "cache", "purge", "--prefix", "gradle-web-");
        Assert.Equal(0, purged);
        Assert.Contains("purged gradle-web-1", output);
        Assert.Equal(["npm-1"], (await store.ListEntriesAsync("", timeout.Token)).Select(e => e.Key));

        var (usage, _) = await RunAsync(options, "cache", "purge");
        Assert.Equal(2, usage);
        (usage, _) = await RunAsync(options, "cache", "purge", "--key", "npm-1", "--prefix", "npm");
        Assert.Equal(2, usage);
    }

    [Fact]
    public async Task The_direct_flag_uses_the_store_even_when_a_server_is_set()
    {
        var options = new CacheOptions { Backend = CacheOptions.FileSystemBackend, FileSystemRoot = Path.Combine(_root, "direct"), LocalRoot = Path.Combine(_root, "local") };

        // The server is not listening: were it called, the command would fail.
        var (code, output) = await RunWithServerAsync(options, "http://127.0.0.1:1", "cache", "list", "--direct", "--json");

        Assert.Equal(0, code);
        Assert.Empty(JsonDocument.Parse(output).RootElement.GetProperty("entries").EnumerateArray());
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static Task<(int Code, string Output)> RunAsync(CacheOptions options, params string[] args) => RunWithServerAsync(options, null, args);

    private static async Task<(int Code, string Output)> RunWithServerAsync(CacheOptions options, string? server, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CacheCommand.ExecuteAsync(args, server, null, options, output, error, TimeProvider.System, CancellationToken.None);
        return (code, output.ToString() + error);
    }
}
