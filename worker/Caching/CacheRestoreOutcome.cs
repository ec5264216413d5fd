namespace BuildFarm.Worker.Caching;

public enum CacheRestoreOutcome
{
    /// <summary>The exact key had an entry.</summary>
    Hit,

    /// <summary>A fallback prefix matched an entry.</summary>
    FallbackHit,

    /// <summary>Nothing restored: no entry, or the restore failed (timeout, corruption) and was undone.</summary>
    Miss,
}
