namespace BuildFarm.Core.Deployments;

/// <summary>What a deployment does next: start this many more instances, or end.</summary>
/// <param name="Start">Instances to start now (0 while waiting).</param>
/// <param name="Outcome">Null while the deployment goes on; true or false once it is decided.</param>
/// <param name="Reason">Why it failed, in words for the history.</param>
public readonly record struct RolloutDecision(int Start, bool? Outcome, string? Reason)
{
    public static RolloutDecision Wait => new(0, null, null);
}
