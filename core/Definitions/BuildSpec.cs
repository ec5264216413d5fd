namespace BuildFarm.Core.Definitions;

/// <summary>A parsed CodeBuild buildspec: what a build job runs.</summary>
public sealed record BuildSpec(
    string Version,
    BuildSpecEnv Env,
    IReadOnlyList<BuildPhase> Phases)
{
    /// <summary>The phase names CodeBuild knows, in the order it runs them.</summary>
    public static readonly IReadOnlyList<string> PhaseOrder = ["install", "pre_build", "build", "post_build"];

    /// <summary>The <c>version</c> values CodeBuild accepts; 0.1 runs each command in a fresh shell.</summary>
    public static readonly IReadOnlyList<string> SupportedVersions = ["0.1", "0.2"];

    /// <summary>The top-level <c>run-as</c> user; a phase's own <see cref="BuildPhase.RunAs"/> wins over it.</summary>
    public string? RunAs { get; init; }

    /// <summary>The <c>artifacts</c> section, or null when the build uploads none.</summary>
    public BuildSpecArtifacts? Artifacts { get; init; }

    /// <summary>The <c>cache</c> section, or null when the build declares no cache.</summary>
    public BuildSpecCache? Cache { get; init; }

    /// <summary>
    /// The <c>batch</c> section, expanded into its member builds; null when there is none (or it asks for no batch).
    /// A stored buildspec with one runs as a batch; a member build, and a pipeline action's buildspec, ignore it.
    /// </summary>
    public BuildSpecBatch? Batch { get; init; }

    /// <summary>The file has a <c>batch</c> section that was not read (parsed for a member build or a pipeline action).</summary>
    public bool BatchIgnored { get; init; }

    /// <summary>The <c>reports</c> section in file order; empty when there is none.</summary>
    public IReadOnlyList<BuildSpecReportGroup> Reports { get; init; } = [];
}
