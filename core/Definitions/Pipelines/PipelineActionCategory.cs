namespace BuildFarm.Core.Definitions.Pipelines;

/// <summary>What an action does; decides which configuration keys and artifacts it takes.</summary>
public enum PipelineActionCategory
{
    Source,
    Build,
    Test,
    Deploy,
    Approval,
    Invoke,
}
