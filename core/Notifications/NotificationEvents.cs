namespace BuildFarm.Core.Notifications;

/// <summary>The file spelling of <see cref="NotificationEvent"/> and the mapping from bus states onto it.</summary>
public static class NotificationEvents
{
    public static IReadOnlyList<NotificationEvent> All { get; } = Enum.GetValues<NotificationEvent>();

    public static string Name(NotificationEvent e) => e switch
    {
        NotificationEvent.ApprovalNeeded => "APPROVAL_NEEDED",
        _ => e.ToString().ToUpperInvariant(),
    };

    /// <summary>
    /// A state name from an event (STARTED, SUCCEEDED, …) or a run status (Succeeded, Cancelled, …); null for
    /// states nobody subscribes to (STOPPING, ABANDONED, …).
    /// </summary>
    public static NotificationEvent? FromState(string state) => state.ToUpperInvariant() switch
    {
        "STARTED" or "RUNNING" => NotificationEvent.Started,
        "SUCCEEDED" => NotificationEvent.Succeeded,
        "FAILED" => NotificationEvent.Failed,
        "CANCELED" or "CANCELLED" => NotificationEvent.Canceled,
        "SUPERSEDED" => NotificationEvent.Superseded,
        "APPROVAL_NEEDED" => NotificationEvent.ApprovalNeeded,
        _ => null,
    };
}
