namespace BuildFarm.Coordinator.Metrics;

/// <summary>One sample of the farm's state for the gauges.</summary>
public sealed record FarmGauges(IReadOnlyDictionary<string, long> ActiveRuns, long QueuedJobs, long PendingOutbox, long LiveWorkers)
{
    public static readonly FarmGauges Empty = new(new Dictionary<string, long>(), 0, 0, 0);
}
