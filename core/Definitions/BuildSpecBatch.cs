namespace BuildFarm.Core.Definitions;

/// <summary>Which of CodeBuild's batch types a buildspec's <c>batch</c> section declares; a batch has exactly one.</summary>
public enum BatchKind
{
    /// <summary><c>build-list</c>: independent builds, all started together.</summary>
    BuildList,

    /// <summary><c>build-graph</c>: builds with <c>depend-on</c>; each starts when its dependencies are done.</summary>
    BuildGraph,

    /// <summary><c>build-matrix</c>: one build per combination of the dynamic buildspecs and values.</summary>
    BuildMatrix,
}

/// <summary>
/// The buildspec's <c>batch</c> section, expanded: every member build it asks for, with its overrides. A stored
/// buildspec that has one runs as a batch (one job per member); a build-matrix is already the cartesian product here.
/// </summary>
public sealed record BuildSpecBatch(BatchKind Kind, bool FastFail, IReadOnlyList<BatchBuild> Builds)
{
    /// <summary>CodeBuild's ceiling for the builds of one batch (a project's <c>maximumBuildsAllowed</c> is 1–100).</summary>
    public const int MaxBuilds = 100;

    /// <summary>The key the kind is written as: <c>build-list</c>, <c>build-graph</c>, <c>build-matrix</c>.</summary>
    public string KindKey => KeyOf(Kind);

    public static string KeyOf(BatchKind kind) => kind switch
    {
        BatchKind.BuildList => "build-list",
        BatchKind.BuildGraph => "build-graph",
        _ => "build-matrix",
    };

    public static BatchKind? FromKey(string? key) => key switch
    {
        "build-list" => BatchKind.BuildList,
        "build-graph" => BatchKind.BuildGraph,
        "build-matrix" => BatchKind.BuildMatrix,
        _ => null,
    };
}

/// <summary>
/// One member build of a batch. <see cref="Variables"/> replace the buildspec's <c>env.variables</c> of the same name;
/// <see cref="Environment"/> keeps the task's other <c>env</c> settings (image, compute-type, type, fleet,
/// privileged-mode), which this farm records but does not apply: every build runs on a worker's own host.
/// </summary>
public sealed record BatchBuild(string Identifier)
{
    private static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>();

    /// <summary>The task's own buildspec (a path in the source, or inline text); null runs the batch's buildspec.</summary>
    public BatchBuildSpecOverride? BuildSpec { get; init; }

    public IReadOnlyDictionary<string, string> Variables { get; init; } = None;

    public IReadOnlyDictionary<string, string> Environment { get; init; } = None;

    /// <summary>The batch may succeed although this build failed; builds that depend on it still start.</summary>
    public bool IgnoreFailure { get; init; }

    /// <summary>Identifiers this build waits for (build-graph only); empty elsewhere.</summary>
    public IReadOnlyList<string> DependOn { get; init; } = [];

    /// <summary>Read and kept, never acted on: there is no session manager here.</summary>
    public bool DebugSession { get; init; }
}

/// <summary>
/// A task's <c>buildspec</c>: <see cref="Path"/> (a file in the build's source) or <see cref="Inline"/> (a value with a
/// line break is the buildspec itself, as CodeBuild and the CDK accept), with where it was written.
/// </summary>
public sealed record BatchBuildSpecOverride(string? Path, string? Inline, int Line, int Column, string Field)
{
    /// <summary>How the API and the log show it: the path, or "inline".</summary>
    public string Describe() => Path ?? "inline";
}
