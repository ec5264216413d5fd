namespace BuildFarm.Coordinator.Persistence.Entities;

/// <summary>
/// One HTTP POST owed to a notification target or GitHub's commit-status API, and what became of it: written
/// when the event is consumed, sent and retried by the notification sender. It is also the delivery log.
/// </summary>
public sealed class NotificationDelivery
{
    public Guid Id { get; set; }
    public required string PipelineName { get; set; }
    public Guid RunId { get; set; }
    /// <summary>The rule's name, or <c>github-status</c>.</summary>
    public required string Target { get; set; }
    /// <summary>STARTED, SUCCEEDED, …, APPROVAL_NEEDED.</summary>
    public required string Event { get; set; }
    /// <summary>What changed: <c>run</c>, <c>stage Build</c>, <c>action Build/Compile</c>.</summary>
    public required string Subject { get; set; }
    /// <summary>SHA-256 of run, subject, state and target, unique: a redelivered bus message owes nothing new.</summary>
    public required string DedupeKey { get; set; }
    /// <summary>Null when <see cref="UrlSecret"/> holds the URL.</summary>
    public string? Url { get; set; }
    public string? UrlSecret { get; set; }
    /// <summary>A secret sent as a bearer token (GitHub's).</summary>
    public string? TokenSecret { get; set; }
    public required string Body { get; set; }
    public required string Status { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    /// <summary>Set while one coordinator sends it, so two never send one delivery at once.</summary>
    public DateTimeOffset? LeaseUntil { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
}
