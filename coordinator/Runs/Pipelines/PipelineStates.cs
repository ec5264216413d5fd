namespace BuildFarm.Coordinator.Runs.Pipelines;

/// <summary>The state names stage and action events carry (see contracts/Events/StageStateChanged).</summary>
public static class PipelineStates
{
    public const string Started = "STARTED";
    public const string Succeeded = "SUCCEEDED";
    public const string Failed = "FAILED";
    public const string Canceled = "CANCELED";
    public const string Superseded = "SUPERSEDED";

    public static string Of(Core.Runs.RunStatus status) => status switch
    {
        Core.Runs.RunStatus.Succeeded => Succeeded,
        Core.Runs.RunStatus.Failed => Failed,
        Core.Runs.RunStatus.Cancelled => Canceled,
        Core.Runs.RunStatus.Superseded => Superseded,
        _ => Started,
    };
}
