using System.ComponentModel.DataAnnotations;

namespace BuildFarm.Coordinator.Options;

/// <summary>The coordinator's side of the <c>Logs</c> section.</summary>
public sealed class LogOptions
{
    public const string SectionName = "Logs";

    /// <summary>Logs of jobs that finished longer ago than this are deleted.</summary>
    [Range(1, 3650)]
    public int RetentionDays { get; set; } = 30;

    /// <summary>How often the retention job runs.</summary>
    [Range(1, 1440)]
    public int RetentionSweepMinutes { get; set; } = 60;
}
