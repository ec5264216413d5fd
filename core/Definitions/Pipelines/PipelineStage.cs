namespace BuildFarm.Core.Definitions.Pipelines;

/// <summary>A stage: its actions in file order (run order decides when each runs).</summary>
public sealed record PipelineStage(string Name, IReadOnlyList<PipelineAction> Actions)
{
    /// <summary>The distinct run orders of this stage, lowest first: the groups the stage runs one after another.</summary>
    public IReadOnlyList<int> RunOrders => [.. Actions.Select(a => a.RunOrder).Distinct().Order()];
}
