namespace BuildFarm.Core.Notifications;

/// <summary>What a notification rule may subscribe to; spelled in files as STARTED, …, APPROVAL_NEEDED.</summary>
public enum NotificationEvent
{
    Started,
    Succeeded,
    Failed,
    Canceled,
    Superseded,
    ApprovalNeeded,
}
