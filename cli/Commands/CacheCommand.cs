extern alias worker;

using System.Globalization;
using BuildFarm.Cli.Output;
using BuildFarm.Client;
using BuildFarm.Protos.V1;
using BuildFarm.Storage.Caching;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging.Abstractions;
using worker::BuildFarm.Worker.Caching;

namespace BuildFarm.Cli.Commands;

/// <summary>
/// `buildfarm cache list|purge|evict`: the dependency cache's entries. With a server (flag, environment or
/// config file) list and purge go through the coordinator (SDK, the token's permissions); with --direct, or
/// without a server, they use the store the workers use from the same <c>Cache__*</c> settings. Eviction
/// needs the workers' reference counting of blobs, so it is always direct.
/// </summary>
public static class CacheCommand
{
    public const string Usage = """
               buildfarm cache list [--prefix P] [--json]            dependency cache entries: key, size, files, created, last hit, hits
               buildfarm cache purge --key K | --prefix P | --all    delete entries (admin token); their blobs go at the next evict
               buildfarm cache evict                                 evict idle and over-budget entries, sweep unreferenced blobs
               (list and purge go through the coordinator when a server is set: --server, BUILDFARM_SERVER or the config file;
                with --direct, or with no server, they open the store the Cache__* settings name, as workers do; evict is always direct)
        """;

    private static readonly string[] Known = ["--prefix", "--key", "--server", "--token"];

    /// <param name="args">The whole command line, <c>cache …</c>.</param>
    /// <param name="server">The coordinator's gRPC URL from the flag, environment or config file; null: none.</param>
    /// <param name="token">The API token for it.</param>
    /// <param name="options">The store's settings for the direct mode.</param>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <param name="time">For relative times.</param>
    /// <param name="cancellationToken">Ctrl-C.</param>
    public static async Task<int> ExecuteAsync(
        IReadOnlyList<string> args, string? server, string? token, CacheOptions options, TextWriter output, TextWriter error, TimeProvider time, CancellationToken cancellationToken)
    {
        var line = CommandLine.Parse(args);
        if (line.Error is not null)
        {
            return await UsageAsync(error, line.Error);
        }

        if (line.Unknown(Known).FirstOrDefault() is { } unknown)
        {
            return await UsageAsync(error, $"unknown option {unknown}");
        }

        var command = line.Positionals.ElementAtOrDefault(1);
        var (key, prefix, all) = (line.Option("--key"), line.Option("--prefix"), line.Flag("--all"));
        if (command is not ("list" or "purge" or "evict") || line.Positionals.Count != 2)
        {
            return await UsageAsync(error, $"unknown command: {string.Join(' ', line.Positionals)}");
        }

        if (command == "purge" && new[] { key is not null, prefix is not null, all }.Count(given => given) != 1)
        {
            return await UsageAsync(error, "cache purge needs exactly one of --key K, --prefix P or --all");
        }

        var json = line.Flag("--json");
        if (command != "evict" && !line.Flag("--direct") && !string.IsNullOrEmpty(server))
        {
            var (context, problem) = Remote.Context(line, server, token, output, error, time);
            if (context is null)
            {
                return await UsageAsync(error, problem);
            }

            return command == "list"
                ? await Remote.CallAsync(context, client => RemoteListAsync(client, prefix, context, cancellationToken))
                : await Remote.CallAsync(context, client => RemotePurgeAsync(client, key, prefix, context, cancellationToken));
        }

        var validation = new CacheOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            return await UsageAsync(error, validation.FailureMessage);
        }

        var store = CacheStores.Create(options);
        try
        {
            switch (command)
            {
                case "list":
                    var entries = await store.ListEntriesAsync(prefix ?? "", cancellationToken);
                    await WriteListAsync(entries.Select(ToProto).ToList(), json, output, time);
                    return 0;
                case "purge":
                    var keys = key is not null ? [key] : (await store.ListEntriesAsync(prefix ?? "", cancellationToken)).Select(e => e.Key).Order(StringComparer.Ordinal).ToList();
                    foreach (var purged in keys)
                    {
                        await store.DeleteEntryAsync(purged, cancellationToken);
                    }

                    await WritePurgedAsync(keys, json, output);
                    return 0;
                default:
                    var cache = new DependencyCache(store, new LocalBlobCache(options.LocalRoot), options, time, NullLogger<DependencyCache>.Instance);
                    var evicted = await cache.EvictAsync(cancellationToken);
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"evicted {evicted.EvictedKeys.Count} entries ({string.Join(", ", evicted.EvictedKeys)}), deleted {evicted.BlobsDeleted} blobs; {evicted.BytesKept / 1e6:0.0} MB of unique content kept"));
                    return 0;
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

    private static async Task<int> RemoteListAsync(BuildFarmClient client, string? prefix, CliContext context, CancellationToken cancellationToken)
    {
        var entries = new List<CacheEntry>();
        await foreach (var entry in client.ListAllCacheEntriesAsync(prefix, cancellationToken))
        {
            entries.Add(entry);
        }

        await WriteListAsync(entries, context.Json, context.Output, context.Time);
        return 0;
    }

    private static async Task<int> RemotePurgeAsync(BuildFarmClient client, string? key, string? prefix, CliContext context, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> purged = key is not null
            ? [(await client.DeleteCacheEntryAsync(key, cancellationToken)).Key]
            : await client.PurgeCacheEntriesAsync(prefix, all: prefix is null, cancellationToken);
        await WritePurgedAsync(purged, context.Json, context.Output);
        return 0;
    }

    /// <summary>Both modes print the same: the entries most recently used first; in JSON, the API's <c>ListCacheEntriesResponse</c>.</summary>
    private static async Task WriteListAsync(List<CacheEntry> entries, bool json, TextWriter output, TimeProvider time)
    {
        entries = entries.OrderByDescending(LastUsed).ThenBy(e => e.Key, StringComparer.Ordinal).ToList();
        if (json)
        {
            var response = new ListCacheEntriesResponse();
            response.Entries.AddRange(entries);
            await Json.WriteAsync(output, response);
            return;
        }

        var now = time.GetUtcNow();
        await Table.WriteAsync(
            output,
            ["KEY", "SIZE", "FILES", "CREATED", "LAST HIT", "HITS"],
            entries.Select(e => (IReadOnlyList<Cell>)
            [
                e.Key,
                string.Create(CultureInfo.InvariantCulture, $"{e.SizeBytes / 1e6:0.0} MB"),
                e.Files.ToString(CultureInfo.InvariantCulture),
                RelativeTime.Format(e.CreatedAt.ToDateTimeOffset(), now),
                e.LastHitAt is { } hit ? RelativeTime.Format(hit.ToDateTimeOffset(), now) : "never",
                e.Hits.ToString(CultureInfo.InvariantCulture),
            ]).ToList());
    }

    private static async Task WritePurgedAsync(IReadOnlyList<string> keys, bool json, TextWriter output)
    {
        if (json)
        {
            var response = new PurgeCacheEntriesResponse();
            response.PurgedKeys.AddRange(keys);
            await Json.WriteAsync(output, response);
            return;
        }

        foreach (var key in keys)
        {
            await output.WriteLineAsync($"purged {key}");
        }

        if (keys.Count == 0)
        {
            await output.WriteLineAsync("no entries matched");
        }
    }

    private static DateTimeOffset LastUsed(CacheEntry entry) =>
        entry.LastHitAt is { } hit && hit.ToDateTimeOffset() > entry.CreatedAt.ToDateTimeOffset() ? hit.ToDateTimeOffset() : entry.CreatedAt.ToDateTimeOffset();

    private static CacheEntry ToProto(CacheEntryInfo entry) => new()
    {
        Key = entry.Key,
        SizeBytes = entry.TotalBytes,
        Files = entry.Files,
        CreatedAt = Timestamp.FromDateTimeOffset(entry.CreatedAt),
        LastHitAt = entry.LastRestoredAt is { } hit ? Timestamp.FromDateTimeOffset(hit) : null,
        Hits = entry.Hits,
    };

    private static async Task<int> UsageAsync(TextWriter error, string? message)
    {
        await error.WriteLineAsync($"buildfarm: {message}");
        await error.WriteLineAsync("usage:");
        await error.WriteLineAsync(Usage);
        return 2;
    }
}
