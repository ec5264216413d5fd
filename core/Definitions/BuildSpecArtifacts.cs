namespace BuildFarm.Core.Definitions;

/// <summary>
/// The <c>artifacts</c> section, or one entry of its <c>secondary-artifacts</c>: which files to keep
/// after the build and how to lay them out.
/// </summary>
public sealed record BuildSpecArtifacts(IReadOnlyList<string> Files)
{
    private static readonly IReadOnlyDictionary<string, BuildSpecArtifacts> NoSecondary =
        new Dictionary<string, BuildSpecArtifacts>();

    public string? Name { get; init; }

    /// <summary>Flatten the kept files into one directory instead of keeping their paths.</summary>
    public bool DiscardPaths { get; init; }

    public string? BaseDirectory { get; init; }

    /// <summary>Globs, relative to <see cref="BaseDirectory"/>, left out even when <see cref="Files"/> match them.</summary>
    public IReadOnlyList<string> ExcludePaths { get; init; } = [];

    public bool EnableSymlinks { get; init; }

    public string? S3Prefix { get; init; }

    /// <summary>Artifact identifier to its own file set; always empty on a secondary artifact.</summary>
    public IReadOnlyDictionary<string, BuildSpecArtifacts> SecondaryArtifacts { get; init; } = NoSecondary;
}
