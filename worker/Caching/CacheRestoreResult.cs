using BuildFarm.Core.Caching;

namespace BuildFarm.Worker.Caching;

/// <summary>What a restore did.</summary>
/// <param name="Outcome">Hit, fallback hit or miss.</param>
/// <param name="Key">The key asked for.</param>
/// <param name="MatchedKey">The entry restored (the key itself, or the one a fallback prefix found).</param>
/// <param name="Reason">Why it was a miss, for the log.</param>
public sealed record CacheRestoreResult(CacheRestoreOutcome Outcome, string Key, string? MatchedKey, string? Reason)
{
    public int Files { get; init; }

    /// <summary>The restored files' size.</summary>
    public long Bytes { get; init; }

    /// <summary>Compressed bytes fetched from the store.</summary>
    public long BytesDownloaded { get; init; }

    /// <summary>Bytes taken from the worker's local blob cache instead.</summary>
    public long BytesFromLocal { get; init; }

    public TimeSpan Elapsed { get; init; }

    /// <summary>Where a hit's time went, by stage; null for a miss.</summary>
    public CacheRestoreTimings? Timings { get; init; }

    public CacheManifest? Manifest { get; init; }

    /// <summary>By root name and path ("~/.gradle/caches/…").</summary>
    public IReadOnlyDictionary<string, RestoredFile> RestoredFiles { get; init; } = new Dictionary<string, RestoredFile>();

    /// <summary>Whether reads of restored files can be told from access times (then unread files are dropped on save).</summary>
    public bool AccessTracked { get; init; }

    public static string FileKey(string root, string path) => root + "\n" + path;
}
