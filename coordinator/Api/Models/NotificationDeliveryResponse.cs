using BuildFarm.Coordinator.Persistence.Entities;

namespace BuildFarm.Coordinator.Api.Models;

/// <summary>One row of a pipeline's delivery log. Target URLs are left out: a Slack URL is a credential.</summary>
public sealed record NotificationDeliveryResponse(
    Guid Id,
    Guid RunId,
    string Target,
    string Event,
    string Subject,
    string Status,
    int Attempts,
    int? LastStatusCode,
    string? LastError,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DeliveredAt,
    DateTimeOffset? NextAttemptAt)
{
    public static NotificationDeliveryResponse From(NotificationDelivery d) =>
        new(d.Id, d.RunId, d.Target, d.Event, d.Subject, d.Status, d.Attempts, d.LastStatusCode, d.LastError, d.CreatedAt, d.DeliveredAt,
            d.Status == Notifications.DeliveryStatuses.Pending ? d.NextAttemptAt : null);
}
