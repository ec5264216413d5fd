using System.ComponentModel.DataAnnotations;

namespace BuildFarm.Coordinator.Options;

public sealed class SchedulingOptions
{
    public const string SectionName = "Scheduling";

    /// <summary>A running job whose worker has not heartbeated for this long is lost, then retried or failed.</summary>
    [Range(2, 3600)]
    public int LeaseSeconds { get; set; } = 30;

    /// <summary>How often the lease sweeper looks for lost workers.</summary>
    [Range(1, 600)]
    public int SweepSeconds { get; set; } = 5;

    /// <summary>
    /// Attempts a job gets in all when its workers are lost: below this a lost attempt is run again
    /// on another worker, at it the job fails. A build that fails on its own is never retried.
    /// </summary>
    [Range(1, 10)]
    public int MaxAttempts { get; set; } = 2;

    /// <summary>
    /// Seconds in one minute of a pipeline's build and queued timeouts. Tests only: they shorten it to
    /// see a timeout without waiting five minutes. Production leaves it at 60.
    /// </summary>
    [Range(1, 60)]
    public int TimeoutMinuteSeconds { get; set; } = 60;

    /// <summary>The outbox dispatcher wakes at once after a commit; this is only its fallback poll.</summary>
    [Range(10, 60000)]
    public int OutboxPollMilliseconds { get; set; } = 1000;

    /// <summary>The labelled-job assigner wakes at once when such a job is queued; this is its fallback poll (workers coming up).</summary>
    [Range(50, 60000)]
    public int LabelledAssignPollMilliseconds { get; set; } = 1000;
}
