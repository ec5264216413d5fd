namespace BuildFarm.Core.Definitions;

/// <summary>A parsed CodeBuild buildspec: what a build job runs.</summary>
public sealed record BuildSpec(
    string Version,
    BuildSpecEnv Env,
    IReadOnlyList<BuildPhase> Phases)
{
    /// <summary>The phase names CodeBuild knows, in the order it runs them.</summary>
    public static readonly IReadOnlyList<string> PhaseOrder = ["install", "pre_build", "build", "post_build"];
}
