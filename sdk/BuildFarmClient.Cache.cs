using BuildFarm.Protos.V1;

namespace BuildFarm.Client;

public sealed partial class BuildFarmClient
{
    private CacheService.CacheServiceClient CacheClient => new(_invoker);

    /// <summary>
    /// One page of the dependency cache's entries in key order: key, size, files, created, last hit and hits
    /// (read permission). Pass the response's <c>NextPageToken</c> back as <paramref name="pageToken"/> until it is empty.
    /// </summary>
    /// <param name="prefix">Only keys that start with this; null or empty for every entry.</param>
    /// <param name="pageSize">Entries per page: 0 means 100, more than 1000 is refused.</param>
    /// <param name="pageToken">The previous page's token, or null for the first page.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="BuildFarmException">INVALID_ARGUMENT for a prefix no key could start with; UNAVAILABLE when the cache store does not answer.</exception>
    public Task<ListCacheEntriesResponse> ListCacheEntriesAsync(string? prefix = null, int pageSize = 0, string? pageToken = null, CancellationToken cancellationToken = default) =>
        CallAsync(() => CacheClient.ListCacheEntriesAsync(
            new ListCacheEntriesRequest { Prefix = prefix ?? "", PageSize = pageSize, PageToken = pageToken ?? "" }, deadline: Deadline(), cancellationToken: cancellationToken).ResponseAsync);

    /// <summary>Every entry whose key starts with <paramref name="prefix"/>, following the pages.</summary>
    /// <param name="prefix">Only keys that start with this; null or empty for every entry.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    public async IAsyncEnumerable<CacheEntry> ListAllCacheEntriesAsync(string? prefix = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? token = null;
        do
        {
            var page = await ListCacheEntriesAsync(prefix, 0, token, cancellationToken);
            foreach (var entry in page.Entries)
            {
                yield return entry;
            }

            token = page.NextPageToken;
        }
        while (token.Length > 0);
    }

    /// <summary>Deletes one cache entry (admin); its blobs go at the next eviction.</summary>
    /// <param name="key">The entry's key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entry as it was.</returns>
    /// <exception cref="BuildFarmException">NOT_FOUND when the key has no entry.</exception>
    public Task<CacheEntry> DeleteCacheEntryAsync(string key, CancellationToken cancellationToken = default) =>
        CallAsync(() => CacheClient.DeleteCacheEntryAsync(new DeleteCacheEntryRequest { Key = key }, deadline: Deadline(), cancellationToken: cancellationToken).ResponseAsync);

    /// <summary>Deletes every cache entry whose key starts with <paramref name="prefix"/> (admin).</summary>
    /// <param name="prefix">Required unless <paramref name="all"/> is set.</param>
    /// <param name="all">With an empty prefix: purge every entry.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The keys deleted, in key order.</returns>
    public async Task<IReadOnlyList<string>> PurgeCacheEntriesAsync(string? prefix, bool all = false, CancellationToken cancellationToken = default) =>
        (await CallAsync(() => CacheClient.PurgeCacheEntriesAsync(
            new PurgeCacheEntriesRequest { Prefix = prefix ?? "", All = all }, deadline: Deadline(), cancellationToken: cancellationToken).ResponseAsync)).PurgedKeys;
}
