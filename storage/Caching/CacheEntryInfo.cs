namespace BuildFarm.Storage.Caching;

/// <summary>What the store knows about an entry without reading its manifest.</summary>
/// <param name="Key">The entry's key.</param>
/// <param name="CreatedAt">When its save began.</param>
/// <param name="TotalBytes">The entry's files, uncompressed.</param>
/// <param name="Files">How many files it has.</param>
/// <param name="Hits">Restores so far.</param>
/// <param name="LastRestoredAt">Null until the first restore; eviction then goes by <paramref name="CreatedAt"/>.</param>
public sealed record CacheEntryInfo(string Key, DateTimeOffset CreatedAt, long TotalBytes, int Files, long Hits, DateTimeOffset? LastRestoredAt)
{
    /// <summary>When the entry was last useful: restored, or else made.</summary>
    public DateTimeOffset LastUsedAt => LastRestoredAt is { } restored && restored > CreatedAt ? restored : CreatedAt;
}
