namespace BuildFarm.Core.Definitions;

/// <summary>The <c>cache</c> section: which paths survive between builds and under which key.</summary>
public sealed record BuildSpecCache(IReadOnlyList<string> Paths)
{
    /// <summary>CodeBuild tries at most this many <c>fallback-keys</c>; more is refused rather than ignored.</summary>
    public const int MaxFallbackKeys = 5;

    public string? Key { get; init; }

    /// <summary>Keys tried in order when <see cref="Key"/> has no entry yet.</summary>
    public IReadOnlyList<string> FallbackKeys { get; init; } = [];

    public BuildSpecCacheAction Action { get; init; } = BuildSpecCacheAction.RestoreAndSave;
}
