using System.ComponentModel.DataAnnotations;

namespace BuildFarm.Coordinator.Options;

/// <summary>The cron scheduler for <c>triggers.schedule</c>.</summary>
public sealed class ScheduleOptions
{
    public const string SectionName = "Schedule";

    public bool Enabled { get; set; } = true;

    /// <summary>How often due slots are looked for; a slot starts at most this late.</summary>
    [Range(1, 60)]
    public int TickSeconds { get; set; } = 15;
}
