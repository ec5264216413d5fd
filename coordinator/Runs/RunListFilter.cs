using BuildFarm.Core.Runs;

namespace BuildFarm.Coordinator.Runs;

/// <summary>What a run list is narrowed to; every part is optional.</summary>
/// <param name="Pipeline">Only this pipeline's runs.</param>
/// <param name="Status">Only runs in this status.</param>
/// <param name="Branch">Only runs that built this branch, as run lists show it ("main", "tag v1", "pr/7").</param>
/// <param name="CreatedAfter">Only runs created at or after this time.</param>
/// <param name="CreatedBefore">Only runs created before this time.</param>
public sealed record RunListFilter(
    string? Pipeline = null,
    RunStatus? Status = null,
    string? Branch = null,
    DateTimeOffset? CreatedAfter = null,
    DateTimeOffset? CreatedBefore = null);
