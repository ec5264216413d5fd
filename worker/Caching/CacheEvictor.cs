using BuildFarm.Core.Caching;
using BuildFarm.Storage.Caching;

namespace BuildFarm.Worker.Caching;

/// <summary>
/// Eviction: entries idle past the idle age go; then, while the unique content of the remaining
/// entries exceeds the budget, the least recently restored entry goes. Blobs are deleted only when
/// no remaining manifest names them and they were written before the grace period, so a save that
/// has uploaded blobs but not yet published its manifest never loses them.
/// </summary>
internal sealed class CacheEvictor(ICacheStore store, long budgetBytes, TimeSpan idleAge, TimeSpan blobGrace, TimeProvider time)
{
    public async Task<CacheEvictionResult> EvictAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var entries = (await store.ListEntriesAsync("", cancellationToken))
            .OrderBy(e => e.LastUsedAt)
            .ThenBy(e => e.Key, StringComparer.Ordinal)
            .ToList();
        var manifests = new Dictionary<string, CacheManifest?>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var stored = await store.GetManifestAsync(entry.Key, cancellationToken);
            manifests[entry.Key] = stored is null ? null : TryRead(stored);
        }

        // Blob → (references, raw size), so evicting an entry frees exactly what only it used.
        var blobs = new Dictionary<string, (int References, long Size)>(StringComparer.Ordinal);
        foreach (var manifest in manifests.Values.OfType<CacheManifest>())
        {
            foreach (var (hash, size) in ChunksOf(manifest))
            {
                blobs[hash] = blobs.TryGetValue(hash, out var seen) ? (seen.References + 1, size) : (1, size);
            }
        }

        var total = blobs.Values.Sum(b => b.Size);
        var evicted = new List<string>();
        foreach (var entry in entries)
        {
            var idle = now - entry.LastUsedAt > idleAge;
            if (!idle && total <= budgetBytes)
            {
                continue;
            }

            await store.DeleteEntryAsync(entry.Key, cancellationToken);
            evicted.Add(entry.Key);
            if (manifests[entry.Key] is { } manifest)
            {
                foreach (var (hash, _) in ChunksOf(manifest))
                {
                    var (references, size) = blobs[hash];
                    if (references == 1)
                    {
                        blobs.Remove(hash);
                        total -= size;
                    }
                    else
                    {
                        blobs[hash] = (references - 1, size);
                    }
                }
            }
        }

        var deleted = await store.DeleteUnreferencedBlobsAsync(blobs.Keys.ToHashSet(StringComparer.Ordinal), now - blobGrace, cancellationToken);

        return new CacheEvictionResult(evicted, deleted, total);
    }

    /// <summary>Each distinct chunk of the manifest with its raw size.</summary>
    private static IEnumerable<(string Hash, long Size)> ChunksOf(CacheManifest manifest)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in manifest.Files)
        {
            for (var i = 0; i < file.Chunks.Count; i++)
            {
                if (seen.Add(file.Chunks[i]))
                {
                    yield return (file.Chunks[i], Math.Min(manifest.ChunkSize, file.Size - ((long)i * manifest.ChunkSize)));
                }
            }
        }
    }

    private static CacheManifest? TryRead(byte[] stored)
    {
        try
        {
            return CacheManifest.Deserialize(ChunkCodec.DecompressManifest(stored));
        }
        catch (Exception ex) when (ex is CacheCorruptException or InvalidDataException)
        {
            // A damaged manifest names no blobs; it is evicted like any other entry in its turn.
            return null;
        }
    }
}
