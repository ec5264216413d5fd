namespace BuildFarm.Core.Notifications;

/// <summary>One entry of a pipeline file's <c>notifications</c>: where to POST which events, in which body format.</summary>
/// <param name="Name">Unique within the file; names the rule in the delivery log.</param>
/// <param name="Url">The target URL, or null when <paramref name="TargetSecret"/> holds it.</param>
/// <param name="TargetSecret">A secret store name whose value is the URL (Slack URLs are credentials).</param>
/// <param name="Format">Body format.</param>
/// <param name="Events">Subscribed events; all when the file lists none.</param>
public sealed record NotificationRule(
    string Name,
    Uri? Url,
    string? TargetSecret,
    NotificationFormat Format,
    IReadOnlyList<NotificationEvent> Events)
{
    public bool Wants(NotificationEvent e) => Events.Contains(e);
}
