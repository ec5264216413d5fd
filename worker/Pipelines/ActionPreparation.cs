using BuildFarm.Core.Runs;

namespace BuildFarm.Worker.Pipelines;

/// <summary>
/// What an action needs before its buildspec runs: either a result already (a source action is done once its
/// artifact is stored; missing inputs fail the action), or the buildspec read from the primary input and the
/// extra environment (CODEBUILD_SRC_DIR_&lt;name&gt; for secondary inputs, the action's environmentVariables).
/// </summary>
public sealed record ActionPreparation(
    (RunStatus Status, int? ExitCode, string? Reason)? Result,
    string? BuildSpec,
    string? FileName,
    IReadOnlyDictionary<string, string> Environment)
{
    public static ActionPreparation Finished(RunStatus status, string? reason) => new((status, null, reason), null, null, new Dictionary<string, string>());
}
