namespace BuildFarm.Worker.Caching;

/// <summary>
/// Whether a run may write the cache. By default only the default branch saves, so feature
/// branches and pull requests restore main's entries but cannot evict or poison them. A run with
/// no branch (<c>buildfarm run FILE</c>, a manual trigger) saves. The default branch comes from the
/// run (<c>BUILDFARM_DEFAULT_BRANCH</c>, which the GitHub webhook sets from the repository) or the
/// worker's <c>Cache:DefaultBranch</c>; a pipeline can say <c>BUILDFARM_CACHE_WRITE: always</c> or
/// <c>never</c> in its buildspec's env variables.
/// </summary>
public static class CacheWritePolicy
{
    public const string WriteVariable = "BUILDFARM_CACHE_WRITE";
    public const string DefaultBranchVariable = "BUILDFARM_DEFAULT_BRANCH";

    /// <returns>Whether to save, and when not, why (for the log).</returns>
    public static (bool Save, string? Reason) Decide(IReadOnlyDictionary<string, string> variables, string defaultBranch)
    {
        switch (variables.GetValueOrDefault(WriteVariable)?.Trim().ToLowerInvariant())
        {
            case "always":
                return (true, null);
            case "never":
                return (false, $"{WriteVariable} is never");
        }

        if (variables.GetValueOrDefault("CODEBUILD_WEBHOOK_EVENT") is { } webhookEvent && webhookEvent.StartsWith("PULL_REQUEST", StringComparison.Ordinal))
        {
            return (false, "pull request runs restore but do not save");
        }

        var headRef = variables.GetValueOrDefault("CODEBUILD_WEBHOOK_HEAD_REF");
        if (string.IsNullOrEmpty(headRef))
        {
            return (true, null);
        }

        if (!headRef.StartsWith("refs/heads/", StringComparison.Ordinal))
        {
            return (false, $"{headRef} is not a branch");
        }

        var branch = headRef["refs/heads/".Length..];
        var main = variables.GetValueOrDefault(DefaultBranchVariable) is { Length: > 0 } fromRun ? fromRun : defaultBranch;
        return branch == main ? (true, null) : (false, $"branch {branch} is not the default branch {main}");
    }
}
