namespace BuildFarm.Core.Definitions;

/// <summary>One entry of the <c>reports</c> section: test or coverage files published under a report group.</summary>
public sealed record BuildSpecReportGroup(string Name, IReadOnlyList<string> Files)
{
    public string? BaseDirectory { get; init; }

    public bool DiscardPaths { get; init; }

    /// <summary>As written (e.g. <c>JUNITXML</c>); null means CodeBuild's default, JUnit XML.</summary>
    public string? FileFormat { get; init; }
}
