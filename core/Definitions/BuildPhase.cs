namespace BuildFarm.Core.Definitions;

/// <summary>One phase (<c>install</c>, <c>pre_build</c>, <c>build</c>, <c>post_build</c>) as written.</summary>
public sealed record BuildPhase(
    string Name,
    IReadOnlyList<string> Commands,
    IReadOnlyList<string> Finally,
    string? OnFailure,
    string? RunAs)
{
    private static readonly IReadOnlyDictionary<string, string> NoRuntimes = new Dictionary<string, string>();

    /// <summary><c>runtime-versions</c>: runtime name to version, each kept as written (<c>3.11</c> stays "3.11").</summary>
    public IReadOnlyDictionary<string, string> RuntimeVersions { get; init; } = NoRuntimes;
}
