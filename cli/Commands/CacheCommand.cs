extern alias worker;

using System.Globalization;
using BuildFarm.Cli.Output;
using Microsoft.Extensions.Logging.Abstractions;
using worker::BuildFarm.Worker.Caching;
using worker::BuildFarm.Worker.Options;

namespace BuildFarm.Cli.Commands;

/// <summary>
/// `buildfarm cache list|purge|evict`: the dependency cache's entries, straight from the store the
/// workers use (the <c>Cache</c> settings, e.g. <c>Cache__Backend=Redis Cache__RedisConfiguration=…</c>).
/// </summary>
public static class CacheCommand
{
    public const string Usage = """
               buildfarm cache list [--prefix P] [--json]            dependency cache entries (Cache__* settings name the store)
               buildfarm cache purge --key K | --prefix P            delete entries; their blobs go at the next evict
               buildfarm cache evict                                 evict idle and over-budget entries, sweep unreferenced blobs
        """;

    public static async Task<int> ExecuteAsync(IReadOnlyList<string> args, CacheOptions options, TextWriter output, TextWriter error, TimeProvider time, CancellationToken cancellationToken)
    {
        var line = CommandLine.Parse(args);
        var validation = new CacheOptionsValidator().Validate(null, options);
        if (line.Error is not null || validation.Failed || line.Unknown(["--prefix", "--key"]).Any())
        {
            await error.WriteLineAsync(line.Error ?? validation.FailureMessage ?? $"unknown option {line.Unknown(["--prefix", "--key"]).First()}");
            await error.WriteLineAsync(Usage);
            return 2;
        }

        var store = CacheStores.Create(options);
        try
        {
            switch (line.Positionals.ElementAtOrDefault(1))
            {
                case "list":
                    return await ListAsync(store, line.Option("--prefix") ?? "", line.Flag("--json"), output, time, cancellationToken);
                case "purge" when line.Option("--key") is { } key:
                    return await PurgeAsync(store, [key], output, cancellationToken);
                case "purge" when line.Option("--prefix") is { } prefix:
                    var keys = (await store.ListEntriesAsync(prefix, cancellationToken)).Select(e => e.Key).ToList();
                    return await PurgeAsync(store, keys, output, cancellationToken);
                case "evict":
                    var cache = new DependencyCache(store, new LocalBlobCache(options.LocalRoot), options, time, NullLogger<DependencyCache>.Instance);
                    var evicted = await cache.EvictAsync(cancellationToken);
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"evicted {evicted.EvictedKeys.Count} entries ({string.Join(", ", evicted.EvictedKeys)}), deleted {evicted.BlobsDeleted} blobs; {evicted.BytesKept / 1e6:0.0} MB of unique content kept"));
                    return 0;
                default:
                    await error.WriteLineAsync(Usage);
                    return 2;
            }
        }
        finally
        {
            (store as IDisposable)?.Dispose();
            if (store is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }
    }

    private static async Task<int> ListAsync(ICacheStore store, string prefix, bool json, TextWriter output, TimeProvider time, CancellationToken cancellationToken)
    {
        var entries = (await store.ListEntriesAsync(prefix, cancellationToken)).OrderByDescending(e => e.LastUsedAt).ToList();
        if (json)
        {
            await output.WriteLineAsync(System.Text.Json.JsonSerializer.Serialize(entries, new System.Text.Json.JsonSerializerOptions { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase }));
            return 0;
        }

        var now = time.GetUtcNow();
        await Table.WriteAsync(
            output,
            ["KEY", "SIZE", "FILES", "CREATED", "LAST HIT", "HITS"],
            entries.Select(e => (IReadOnlyList<Cell>)
            [
                e.Key,
                string.Create(CultureInfo.InvariantCulture, $"{e.TotalBytes / 1e6:0.0} MB"),
                e.Files.ToString(CultureInfo.InvariantCulture),
                RelativeTime.Format(e.CreatedAt, now),
                e.LastRestoredAt is { } hit ? RelativeTime.Format(hit, now) : "never",
                e.Hits.ToString(CultureInfo.InvariantCulture),
            ]).ToList());
        return 0;
    }

    private static async Task<int> PurgeAsync(ICacheStore store, IReadOnlyList<string> keys, TextWriter output, CancellationToken cancellationToken)
    {
        foreach (var key in keys)
        {
            await store.DeleteEntryAsync(key, cancellationToken);
            await output.WriteLineAsync($"purged {key}");
        }

        if (keys.Count == 0)
        {
            await output.WriteLineAsync("no entries matched");
        }

        return 0;
    }
}
