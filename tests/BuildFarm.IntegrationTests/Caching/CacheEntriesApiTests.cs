extern alias coordinator;

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BuildFarm.Client;
using BuildFarm.IntegrationTests.Fixtures;
using BuildFarm.IntegrationTests.Runs;
using BuildFarm.Protos.V1;
using BuildFarm.Storage.Caching;
using Grpc.Core;

namespace BuildFarm.IntegrationTests.Caching;

/// <summary>
/// The dependency cache's entries through the coordinator on the distributed farm: real runs on a worker
/// save and restore them, the coordinator (given the same Cache:* settings) lists and purges them over
/// HTTP and gRPC (SDK), and the worker sees a purge at its next restore.
/// </summary>
public sealed class CacheEntriesApiTests(FarmFixture farm) : IClassFixture<FarmFixture>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    private const string Buildspec = """
        version: 0.2
        phases:
          build:
            commands:
              - if [ -f ~/.m2/repo/dep.jar ]; then echo "restored=$(cat ~/.m2/repo/dep.jar)"; else echo downloading; mkdir -p ~/.m2/repo; echo "jar $DEPS" > ~/.m2/repo/dep.jar; fi
        cache:
          key: api-$DEPS
          paths:
            - /root/.m2/**/*
        """;

    [Fact]
    public async Task Entries_saved_by_runs_are_listed_paged_deleted_and_purged_over_http_and_grpc()
    {
        await farm.Client.ApplyPipelineAsync("cache-api", Buildspec, cancellationToken: Wait.Up(Limit));
        Assert.Contains("cache key api-1: miss", await RunAsync("1"));
        Assert.Contains("cache key api-1: hit", await RunAsync("1"));
        Assert.Contains("cache key api-2: miss", await RunAsync("2"));

        // gRPC (SDK): key order, with what a person wants to know about each entry.
        var listed = await farm.Client.ListCacheEntriesAsync("api-", cancellationToken: Wait.Up(Limit));
        Assert.Equal(["api-1", "api-2"], listed.Entries.Select(e => e.Key));
        Assert.Empty(listed.NextPageToken);
        var first = listed.Entries[0];
        Assert.Equal((1L, 1), (first.Hits, first.Files));
        Assert.True(first.SizeBytes > 0);
        Assert.NotNull(first.LastHitAt);
        Assert.True(first.LastHitAt.ToDateTimeOffset() >= first.CreatedAt.ToDateTimeOffset());
        Assert.Null(listed.Entries[1].LastHitAt);
        Assert.Equal(0, listed.Entries[1].Hits);

        // HTTP: the same entries, one per page, and the token leads to the next.
        var page = await farm.Http.GetFromJsonAsync<JsonElement>("/api/cache/entries?prefix=api-&pageSize=1", Wait.Up(Limit));
        var entry = Assert.Single(page.GetProperty("entries").EnumerateArray());
        Assert.Equal("api-1", entry.GetProperty("key").GetString());
        Assert.Equal(1, entry.GetProperty("hits").GetInt64());
        Assert.Equal(first.SizeBytes, entry.GetProperty("sizeBytes").GetInt64());
        Assert.Equal(1, entry.GetProperty("files").GetInt32());
        Assert.NotEqual(JsonValueKind.Null, entry.GetProperty("lastHitAt").ValueKind);
        var token = page.GetProperty("nextPageToken").GetString();
        page = await farm.Http.GetFromJsonAsync<JsonElement>($"/api/cache/entries?prefix=api-&pageSize=1&pageToken={token}", Wait.Up(Limit));
        Assert.Equal("api-2", Assert.Single(page.GetProperty("entries").EnumerateArray()).GetProperty("key").GetString());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("nextPageToken").ValueKind);

        // Refused requests say why and change nothing.
        await AssertProblemAsync(await farm.Http.GetAsync("/api/cache/entries?pageSize=5000", Wait.Up(Limit)), HttpStatusCode.BadRequest, "page_size");
        await AssertProblemAsync(await farm.Http.GetAsync("/api/cache/entries?prefix=..%2Fetc", Wait.Up(Limit)), HttpStatusCode.BadRequest, "prefix");
        await AssertProblemAsync(await farm.Http.GetAsync("/api/cache/entries?pageToken=garbage!", Wait.Up(Limit)), HttpStatusCode.BadRequest, "page_token");
        await AssertProblemAsync(await farm.Http.DeleteAsync("/api/cache/entries", Wait.Up(Limit)), HttpStatusCode.BadRequest, "all=true");
        await AssertProblemAsync(await farm.Http.DeleteAsync("/api/cache/entries/api-9", Wait.Up(Limit)), HttpStatusCode.NotFound, "api-9");
        var viewer = (await farm.Client.CreateTokenAsync("cache-viewer", "viewer", cancellationToken: Wait.Up(Limit))).Secret;
        using (var asViewer = new BuildFarmClient(farm.GrpcUrl, viewer))
        {
            Assert.Equal(2, (await asViewer.ListCacheEntriesAsync("api-", cancellationToken: Wait.Up(Limit))).Entries.Count);
            var denied = await Assert.ThrowsAsync<BuildFarmException>(() => asViewer.PurgeCacheEntriesAsync("api-", cancellationToken: Wait.Up(Limit)));
            Assert.Equal(StatusCode.PermissionDenied, denied.Status);
        }

        Assert.Equal(2, (await farm.Client.ListCacheEntriesAsync("api-", cancellationToken: Wait.Up(Limit))).Entries.Count);

        // Delete one over gRPC (the entry as it was comes back), purge the rest over HTTP.
        var deleted = await farm.Client.DeleteCacheEntryAsync("api-1", Wait.Up(Limit));
        Assert.Equal(("api-1", 1L), (deleted.Key, deleted.Hits));
        var again = await Assert.ThrowsAsync<BuildFarmException>(() => farm.Client.DeleteCacheEntryAsync("api-1", Wait.Up(Limit)));
        Assert.Equal(StatusCode.NotFound, again.Status);
        var invalid = await Assert.ThrowsAsync<BuildFarmException>(() => farm.Client.DeleteCacheEntryAsync("no/slashes", Wait.Up(Limit)));
        Assert.Equal(StatusCode.InvalidArgument, invalid.Status);
        Assert.Equal("key", Assert.Single(invalid.Violations).Field);

        using var purge = await farm.Http.DeleteAsync("/api/cache/entries?prefix=api-", Wait.Up(Limit));
        Assert.Equal(HttpStatusCode.OK, purge.StatusCode);
        Assert.Equal(["api-2"], (await purge.Content.ReadFromJsonAsync<JsonElement>(Wait.Up(Limit))).GetProperty("purged").EnumerateArray().Select(k => k.GetString()));
        Assert.Empty((await farm.Client.ListCacheEntriesAsync("api-", cancellationToken: Wait.Up(Limit))).Entries);

        // The worker reads the same store: what was purged is a miss again.
        Assert.Contains("cache key api-1: miss", await RunAsync("1"));
        Assert.Equal(["api-1"], await farm.Client.PurgeCacheEntriesAsync("", all: true, Wait.Up(Limit)));
    }

    [Fact]
    public async Task A_cache_store_that_does_not_answer_is_unavailable_and_names_the_store()
    {
        // A Redis server nobody listens for: what a coordinator sees when the cache's Redis is down.
        var store = new RedisCacheStore("127.0.0.1:1", "test:", TimeSpan.FromDays(1), TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(500));
        await using var _ = store;
        var entries = new coordinator::BuildFarm.Coordinator.Caching.CacheEntries(store);

        var error = await Assert.ThrowsAsync<coordinator::BuildFarm.Coordinator.Errors.StoreUnavailableException>(
            () => entries.ListAsync("", 0, null, Wait.Up(Limit)));

        Assert.Equal("Redis", error.Store);
        Assert.Contains("Redis store did not answer", error.Message, StringComparison.Ordinal);
    }

    private async Task<string> RunAsync(string deps)
    {
        var run = await farm.Client.TriggerRunAsync("cache-api", new Dictionary<string, string> { ["DEPS"] = deps }, cancellationToken: Wait.Up(Limit));
        var final = await farm.Client.WaitForRunAsync(run.Id, TimeSpan.FromMilliseconds(50), Wait.Up(Limit));
        var log = Encoding.UTF8.GetString(await farm.Client.GetLogAsync(run.Id, Wait.Up(Limit)));
        Assert.True(final.Status == RunStatus.Succeeded, log);
        return log;
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string mentions)
    {
        using (response)
        {
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(mentions, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }
}
