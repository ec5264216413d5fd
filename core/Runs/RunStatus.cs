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

    /// <summary>An action of a pipeline file whose stage or run order has not come yet: nothing is dispatched for it.</summary>
    Waiting,

    /// <summary>A pipeline execution a newer one replaced while it waited between stages (execution mode SUPERSEDED).</summary>
    Superseded,
}
