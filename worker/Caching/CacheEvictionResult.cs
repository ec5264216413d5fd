namespace BuildFarm.Worker.Caching;

/// <summary>What an eviction pass removed.</summary>
/// <param name="EvictedKeys">In the order they went.</param>
/// <param name="BlobsDeleted">Blobs no remaining entry names, written before the grace period.</param>
/// <param name="BytesKept">Unique content of the entries that remain.</param>
public sealed record CacheEvictionResult(IReadOnlyList<string> EvictedKeys, int BlobsDeleted, long BytesKept);
