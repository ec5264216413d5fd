namespace BuildFarm.Core.Deployments;

/// <summary>
/// CodeDeploy's minimum-healthy-hosts arithmetic, pure. An instance being deployed or failed is unhealthy;
/// pending and succeeded ones are healthy. A new instance starts only while the healthy count stays at or
/// above the minimum, and the deployment succeeds when every instance is done, at least the minimum
/// succeeded, and at least one succeeded. This gives CodeDeploy's documented behaviour: OneAtATime fails as
/// soon as any instance but the last fails (no other may go offline then) yet succeeds when only the last
/// fails; HalfAtATime deploys to half (rounded down) at a time and needs half (rounded up) to succeed;
/// AllAtOnce succeeds when any instance does.
/// </summary>
public static class DeploymentRollout
{
    /// <summary>Why a configuration cannot deploy to a group of this size, or null.</summary>
    public static string? Refusal(DeploymentConfig config, int instances)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (instances == 0)
        {
            return "The deployment group has no instances.";
        }
        var minimum = config.MinimumHealthy(instances);
        return !config.IsBuiltIn && minimum >= instances
            ? $"The deployment configuration {config.Name} needs {minimum} healthy instance(s) out of {instances}, so no instance could ever be taken offline (CodeDeploy's HEALTH_CONSTRAINTS_INVALID)."
            : null;
    }

    public static RolloutDecision Next(DeploymentConfig config, InstanceCounts counts)
    {
        ArgumentNullException.ThrowIfNull(config);
        var total = counts.Total;
        var minimum = config.MinimumHealthy(total);
        var needed = Math.Max(minimum, 1);
        if (counts.Succeeded + counts.InProgress + counts.Pending < needed)
        {
            return new RolloutDecision(0, false,
                $"{counts.Failed} of {total} instance(s) failed; at least {needed} must succeed with {config.Name}.");
        }
        if (counts.Pending == 0)
        {
            return counts.InProgress > 0
                ? RolloutDecision.Wait
                : new RolloutDecision(0, true, null);
        }

        // Built-in configurations always let one instance go (a one-instance group, HalfAtATime of one).
        var offlineAllowed = config.IsBuiltIn ? Math.Max(total - minimum, 1) : total - minimum;
        var start = Math.Min(counts.Pending, offlineAllowed - counts.InProgress - counts.Failed);
        if (start > 0)
        {
            return new RolloutDecision(start, null, null);
        }
        return counts.InProgress > 0
            ? RolloutDecision.Wait
            : new RolloutDecision(0, false,
                $"{counts.Failed} instance(s) failed and {config.Name} keeps at least {minimum} of {total} healthy, so the remaining {counts.Pending} cannot be deployed.");
    }
}
