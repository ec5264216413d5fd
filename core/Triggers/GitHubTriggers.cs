namespace BuildFarm.Core.Triggers;

/// <summary><c>triggers.github</c>: push and pull request filters (at most three of each).</summary>
public sealed record GitHubTriggers(IReadOnlyList<GitPushFilter> Push, IReadOnlyList<GitPullRequestFilter> PullRequest)
{
    /// <summary>CodePipeline's limit per event kind.</summary>
    public const int MaxFilters = 3;
}
