namespace BuildFarm.Coordinator.Notifications;

/// <summary>The values of <c>NotificationDelivery.Status</c>.</summary>
public static class DeliveryStatuses
{
    public const string Pending = "Pending";
    public const string Delivered = "Delivered";
    /// <summary>Every attempt failed.</summary>
    public const string Failed = "Failed";
    /// <summary>A newer commit status for the same run was owed: sending the older one would overwrite it.</summary>
    public const string Skipped = "Skipped";

    /// <summary>The target name under which commit statuses are logged.</summary>
    public const string GitHubStatusTarget = "github-status";
}
