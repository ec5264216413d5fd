using System.ComponentModel.DataAnnotations;

namespace BuildFarm.Coordinator.Options;

/// <summary>How notification and commit-status deliveries are sent and retried.</summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Notifications";

    /// <summary>Tries per delivery before it is recorded as Failed.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The wait after the first failure; it doubles per failure up to <see cref="MaxBackoffSeconds"/>.</summary>
    [Range(10, 600_000)]
    public int InitialBackoffMilliseconds { get; set; } = 2000;

    [Range(1, 3600)]
    public int MaxBackoffSeconds { get; set; } = 300;

    /// <summary>How often the sender looks for due deliveries.</summary>
    [Range(10, 60_000)]
    public int PollMilliseconds { get; set; } = 500;

    /// <summary>One POST may take this long before it counts as failed.</summary>
    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 10;
}
