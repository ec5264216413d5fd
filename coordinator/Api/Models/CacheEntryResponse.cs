using BuildFarm.Storage.Caching;

namespace BuildFarm.Coordinator.Api.Models;

/// <summary>A dependency cache entry: its files' size uncompressed, when it was saved, its last restore (null: never) and restores so far.</summary>
public sealed record CacheEntryResponse(string Key, long SizeBytes, int Files, DateTimeOffset CreatedAt, DateTimeOffset? LastHitAt, long Hits)
{
    public static CacheEntryResponse From(CacheEntryInfo entry) =>
        new(entry.Key, entry.TotalBytes, entry.Files, entry.CreatedAt, entry.LastRestoredAt, entry.Hits);
}

/// <summary>One page of cache entries in key order; <see cref="NextPageToken"/> is null on the last page.</summary>
public sealed record CacheEntryListResponse(IReadOnlyList<CacheEntryResponse> Entries, string? NextPageToken);

/// <summary>The keys a purge deleted, in key order.</summary>
public sealed record CachePurgeResponse(IReadOnlyList<string> Purged);
