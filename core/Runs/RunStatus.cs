namespace BuildFarm.Core.Runs;

/// <summary>Where a run (and, with the same values, a job) stands. Stored by name.</summary>
public enum RunStatus
{
    Queued,
    Running,
    Cancelling,
    Succeeded,
    Failed,
    Cancelled,
}
