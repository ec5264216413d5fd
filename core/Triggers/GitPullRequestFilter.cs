namespace BuildFarm.Core.Triggers;

/// <summary>One <c>triggers.github.pullRequest</c> filter: base branches, PR events (default OPEN, UPDATED), file paths.</summary>
public sealed record GitPullRequestFilter(
    GitPatternFilter? Branches,
    IReadOnlyList<PullRequestEventType> Events,
    GitPatternFilter? FilePaths)
{
    public static IReadOnlyList<PullRequestEventType> DefaultEvents { get; } =
        [PullRequestEventType.Open, PullRequestEventType.Updated];
}
