namespace BuildFarm.Core.Definitions;

/// <summary>One script of a lifecycle event.</summary>
/// <param name="Location">The script's path relative to the bundle root.</param>
/// <param name="TimeoutSeconds">After this long the script and every process it started are killed (default 3600).</param>
/// <param name="RunAs">The user the script runs as, or null for the agent's own user.</param>
public sealed record AppSpecHook(string Location, int TimeoutSeconds, string? RunAs);
