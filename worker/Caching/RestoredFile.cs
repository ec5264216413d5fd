using BuildFarm.Core.Caching;

namespace BuildFarm.Worker.Caching;

/// <summary>A file a restore put in place, as it was then: a save can reuse its hashes if it is unchanged.</summary>
/// <param name="File">Its manifest entry.</param>
/// <param name="LastWriteUtc">Its mtime after the restore.</param>
public sealed record RestoredFile(CacheManifestFile File, DateTime LastWriteUtc);
