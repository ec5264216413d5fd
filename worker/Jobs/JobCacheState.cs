using BuildFarm.Core.Definitions;
using BuildFarm.Worker.Caching;

namespace BuildFarm.Worker.Jobs;

/// <summary>What a job's cache restore leaves for its save.</summary>
/// <param name="Spec">The buildspec's <c>cache</c> section.</param>
/// <param name="Roots">The directories it caches, in this job.</param>
/// <param name="RestoreKey">The key the restore used (the save evaluates it again: the source may have arrived since).</param>
/// <param name="Restored">Null when the restore was skipped (action: save).</param>
public sealed record JobCacheState(BuildSpecCache Spec, IReadOnlyList<CacheRoot> Roots, string RestoreKey, CacheRestoreResult? Restored);
