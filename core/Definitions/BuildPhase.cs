namespace BuildFarm.Core.Definitions;

/// <summary>One phase (<c>install</c>, <c>pre_build</c>, <c>build</c>, <c>post_build</c>) as written.</summary>
public sealed record BuildPhase(
    string Name,
    IReadOnlyList<string> Commands,
    IReadOnlyList<string> Finally,
    string? OnFailure,
    string? RunAs);
