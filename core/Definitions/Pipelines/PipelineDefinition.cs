namespace BuildFarm.Core.Definitions.Pipelines;

/// <summary>
/// A checked pipeline file: stages → actions with named artifacts between them. The <c>triggers:</c> and
/// <c>notifications:</c> sections are read by their own readers (core/Triggers, core/Notifications).
/// </summary>
public sealed record PipelineDefinition(
    int Version,
    PipelineExecutionMode ExecutionMode,
    IReadOnlyList<PipelineVariable> Variables,
    IReadOnlyList<PipelineStage> Stages)
{
    public const int MaxStages = 50;
    public const int MaxActionsPerStage = 50;

    /// <summary>The stage and action that produce <paramref name="artifact"/>, or null when none does.</summary>
    public (PipelineStage Stage, PipelineAction Action)? Producer(string artifact)
    {
        foreach (var stage in Stages)
        {
            foreach (var action in stage.Actions)
            {
                if (action.OutputArtifacts.Contains(artifact, StringComparer.Ordinal))
                {
                    return (stage, action);
                }
            }
        }
        return null;
    }
}
