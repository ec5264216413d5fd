using System.ComponentModel.DataAnnotations;

namespace BuildFarm.Coordinator.Options;

public sealed class SchedulingOptions
{
    public const string SectionName = "Scheduling";

    /// <summary>A running job whose worker has not heartbeated for this long is lost.</summary>
    [Range(2, 3600)]
    public int LeaseSeconds { get; set; } = 30;

    /// <summary>How often the lease sweeper looks for lost workers.</summary>
    [Range(1, 600)]
    public int SweepSeconds { get; set; } = 5;

    /// <summary>The outbox dispatcher wakes at once after a commit; this is only its fallback poll.</summary>
    [Range(10, 60000)]
    public int OutboxPollMilliseconds { get; set; } = 1000;
}
