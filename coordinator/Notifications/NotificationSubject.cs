using BuildFarm.Core.Notifications;

namespace BuildFarm.Coordinator.Notifications;

/// <summary>One state change worth telling someone about, from any of the run, stage, action or approval events.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Event">What rules subscribe to.</param>
/// <param name="Stage">The stage; null for the run as a whole.</param>
/// <param name="Action">The action; null for a run or stage.</param>
/// <param name="Reason">Why it failed or was cancelled, or an approval's summary.</param>
/// <param name="At">When it happened.</param>
/// <param name="Message">The bus message itself: a <c>format: json</c> target gets it as it was published.</param>
public sealed record NotificationSubject(
    Guid RunId,
    NotificationEvent Event,
    string? Stage,
    string? Action,
    string? Reason,
    DateTimeOffset At,
    object Message)
{
    /// <summary><c>run</c>, <c>stage Build</c>, <c>action Build/Compile</c>: names the subject in the delivery log.</summary>
    public string Describe() => (Stage, Action) switch
    {
        (null, _) => "run",
        (_, null) => $"stage {Stage}",
        _ => $"action {Stage}/{Action}",
    };
}
