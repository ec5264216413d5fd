namespace BuildFarm.Coordinator.Runs.Scheduling;

/// <summary>Whether a worker may claim new jobs; set by operators, kept across its heartbeats.</summary>
public enum WorkerMode
{
    /// <summary>Claims jobs (every worker starts so).</summary>
    Active,

    /// <summary>Finishes what it holds and claims nothing new: on the way out of the farm.</summary>
    Draining,

    /// <summary>Claims nothing new until enabled again.</summary>
    Disabled,
}
