namespace BuildFarm.Core.Definitions.Pipelines;

/// <summary>How executions of one pipeline share its stages (CodePipeline's execution modes).</summary>
public enum PipelineExecutionMode
{
    /// <summary>One execution per stage at a time; a newer execution waiting between stages replaces an older waiting one.</summary>
    Superseded,

    /// <summary>Executions go through each stage one at a time, in the order they were started; none is dropped.</summary>
    Queued,

    /// <summary>Executions are independent of each other.</summary>
    Parallel,
}
