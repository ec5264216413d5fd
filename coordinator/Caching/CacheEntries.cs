using System.Text;
using BuildFarm.Coordinator.Errors;
using BuildFarm.Core.Caching;
using BuildFarm.Storage.Caching;

namespace BuildFarm.Coordinator.Caching;

/// <summary>
/// The dependency cache's entries for people and tools (HTTP, gRPC, the SDK): listed and deleted in the
/// store the workers use, which the coordinator's own <c>Cache:*</c> settings name. Deleting an entry
/// removes its manifest and record; its blobs stay until the next eviction finds nothing naming them.
/// </summary>
public sealed class CacheEntries(ICacheStore store)
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;

    /// <summary>
    /// Entries whose key starts with <paramref name="prefix"/>, in key order, keyset-paged on the key: the
    /// token is the last key of the page, so entries saved or purged meanwhile never shift a later page.
    /// </summary>
    public async Task<(IReadOnlyList<CacheEntryInfo> Entries, string? NextPageToken)> ListAsync(
        string? prefix, int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        if (pageSize is < 0 or > MaxPageSize)
        {
            throw new RequestInvalidException("page_size", $"page_size must be between 1 and {MaxPageSize} (0 means {DefaultPageSize}); got {pageSize}.");
        }

        prefix = CheckPrefix(prefix);
        var after = string.IsNullOrEmpty(pageToken) ? null : DecodeToken(pageToken);
        var size = pageSize == 0 ? DefaultPageSize : pageSize;
        var entries = (await CallAsync(() => store.ListEntriesAsync(prefix, cancellationToken)))
            .Where(e => after is null || string.CompareOrdinal(e.Key, after) > 0)
            .OrderBy(e => e.Key, StringComparer.Ordinal)
            .Take(size + 1)
            .ToList();
        return entries.Count <= size ? (entries, null) : (entries[..size], EncodeToken(entries[size - 1].Key));
    }

    /// <summary>Deletes one entry and returns it as it was.</summary>
    /// <exception cref="NotFoundException">The key has no entry.</exception>
    public async Task<CacheEntryInfo> DeleteAsync(string key, CancellationToken cancellationToken)
    {
        if (CacheKey.Problem(key) is { } problem)
        {
            throw new RequestInvalidException("key", $"Cache key '{key}' {problem}.");
        }

        var entry = (await CallAsync(() => store.ListEntriesAsync(key, cancellationToken))).FirstOrDefault(e => e.Key == key)
            ?? throw new NotFoundException("Cache entry", key);
        await CallAsync(async () =>
        {
            await store.DeleteEntryAsync(key, cancellationToken);
            return true;
        });
        return entry;
    }

    /// <summary>Deletes every entry whose key starts with <paramref name="prefix"/>; all of them only when <paramref name="all"/> says so.</summary>
    /// <returns>The keys deleted, in key order.</returns>
    public async Task<IReadOnlyList<string>> PurgeAsync(string? prefix, bool all, CancellationToken cancellationToken)
    {
        prefix = CheckPrefix(prefix);
        if (prefix.Length == 0 && !all)
        {
            throw new RequestInvalidException("prefix", "prefix is required; to purge every entry, pass all=true instead.");
        }

        var keys = (await CallAsync(() => store.ListEntriesAsync(prefix, cancellationToken))).Select(e => e.Key).Order(StringComparer.Ordinal).ToList();
        foreach (var key in keys)
        {
            await CallAsync(async () =>
            {
                await store.DeleteEntryAsync(key, cancellationToken);
                return true;
            });
        }

        return keys;
    }

    /// <summary>A prefix of a valid key obeys the key rules itself, which also keeps it from meaning anything else to a store.</summary>
    private static string CheckPrefix(string? prefix) =>
        string.IsNullOrEmpty(prefix) ? ""
        : CacheKey.Problem(prefix) is { } problem ? throw new RequestInvalidException("prefix", $"Prefix '{prefix}' {problem}.")
        : prefix;

    private async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or RequestInvalidException or NotFoundException or OutOfMemoryException))
        {
            // Redis down, S3 refusing, a file-system error: say which store, change nothing more.
            throw new StoreUnavailableException(store.Name, $"The dependency cache's {store.Name} store did not answer: {ex.Message}", ex);
        }
    }

    private static string EncodeToken(string key) => Convert.ToBase64String(Encoding.UTF8.GetBytes(key)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string DecodeToken(string token)
    {
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            var key = Encoding.UTF8.GetString(Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=')));
            return CacheKey.Problem(key) is null ? key : throw new FormatException();
        }
        catch (FormatException)
        {
            throw new RequestInvalidException("page_token", "page_token is not one this API returned.");
        }
    }
}
