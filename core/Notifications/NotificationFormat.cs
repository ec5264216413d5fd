namespace BuildFarm.Core.Notifications;

public enum NotificationFormat
{
    /// <summary>The event as JSON, as published on the bus.</summary>
    Json,

    /// <summary>A Slack incoming-webhook body: <c>{"text": "…"}</c>.</summary>
    Slack,
}
