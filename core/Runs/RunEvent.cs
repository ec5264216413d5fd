namespace BuildFarm.Core.Runs;

/// <summary>What can happen to a job; the state machine decides what each does to its status.</summary>
public enum RunEvent
{
    Started,
    Succeeded,
    Failed,
    CancelRequested,
    Cancelled,
}
