namespace BuildFarm.Core.Triggers;

/// <summary>Whether a webhook event starts the pipeline, and why (the filter that matched or why none did).</summary>
public sealed record TriggerDecision(bool Matched, string Reason)
{
    public static TriggerDecision Match(string reason) => new(true, reason);

    public static TriggerDecision NoMatch(string reason) => new(false, reason);
}
