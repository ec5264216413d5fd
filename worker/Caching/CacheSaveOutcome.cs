namespace BuildFarm.Worker.Caching;

public enum CacheSaveOutcome
{
    Saved,

    /// <summary>The key already has an entry (maybe saved a moment ago by another worker): entries are immutable.</summary>
    AlreadyExists,

    /// <summary>Something failed; nothing was published and the build is unaffected.</summary>
    Failed,
}
