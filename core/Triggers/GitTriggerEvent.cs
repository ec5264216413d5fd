namespace BuildFarm.Core.Triggers;

/// <summary>What a webhook delivery says happened, reduced to what filters look at.</summary>
/// <param name="Kind">Push or pull request.</param>
/// <param name="Branch">The pushed branch, or the pull request's base branch; null for a tag push.</param>
/// <param name="Tag">The pushed tag (without <c>refs/tags/</c>); null otherwise.</param>
/// <param name="PullRequestEvent">For pull requests: which of OPEN, UPDATED, CLOSED; null when GitHub's action maps to none.</param>
/// <param name="ChangedFiles">Paths added, modified or removed; null when the payload does not list them.</param>
public sealed record GitTriggerEvent(
    GitEventKind Kind,
    string? Branch,
    string? Tag,
    PullRequestEventType? PullRequestEvent,
    IReadOnlyCollection<string>? ChangedFiles)
{
    /// <summary>From a git ref: <c>refs/heads/x</c> is branch x, <c>refs/tags/v1</c> is tag v1.</summary>
    public static GitTriggerEvent Push(string gitRef, IReadOnlyCollection<string>? changedFiles)
    {
        const string heads = "refs/heads/";
        const string tags = "refs/tags/";
        if (gitRef.StartsWith(tags, StringComparison.Ordinal))
        {
            return new GitTriggerEvent(GitEventKind.Push, null, gitRef[tags.Length..], null, changedFiles);
        }
        var branch = gitRef.StartsWith(heads, StringComparison.Ordinal) ? gitRef[heads.Length..] : gitRef;
        return new GitTriggerEvent(GitEventKind.Push, branch, null, null, changedFiles);
    }

    /// <summary>GitHub's <c>pull_request</c> action: opened and reopened are OPEN, synchronize UPDATED, closed CLOSED.</summary>
    public static PullRequestEventType? PullRequestEventOf(string? action) => action switch
    {
        "opened" or "reopened" => PullRequestEventType.Open,
        "synchronize" => PullRequestEventType.Updated,
        "closed" => PullRequestEventType.Closed,
        _ => null,
    };
}
