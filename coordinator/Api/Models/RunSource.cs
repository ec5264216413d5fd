namespace BuildFarm.Coordinator.Api.Models;

/// <summary>Reads the source a run built from the variables CodeBuild defines for it.</summary>
public static class RunSource
{
    /// <summary>"main", "tag v1.2", "pr/7": the webhook trigger first, then the head ref, then the source version if it names a branch.</summary>
    public static string? Branch(IReadOnlyDictionary<string, string> variables)
    {
        if (variables.TryGetValue("CODEBUILD_WEBHOOK_TRIGGER", out var trigger) && trigger.Length > 0)
        {
            return trigger.StartsWith("branch/", StringComparison.Ordinal) ? trigger["branch/".Length..]
                : trigger.StartsWith("tag/", StringComparison.Ordinal) ? "tag " + trigger["tag/".Length..]
                : trigger;
        }

        if (variables.TryGetValue("CODEBUILD_WEBHOOK_HEAD_REF", out var head) && head.Length > 0)
        {
            return head.Replace("refs/heads/", "", StringComparison.Ordinal);
        }

        return variables.TryGetValue("CODEBUILD_SOURCE_VERSION", out var version) && version.StartsWith("refs/heads/", StringComparison.Ordinal)
            ? version["refs/heads/".Length..]
            : null;
    }

    /// <summary>The resolved commit when known, else a source version that is not a ref.</summary>
    public static string? Commit(IReadOnlyDictionary<string, string> variables)
    {
        if (variables.TryGetValue("CODEBUILD_RESOLVED_SOURCE_VERSION", out var resolved) && resolved.Length > 0)
        {
            return resolved;
        }

        return variables.TryGetValue("CODEBUILD_SOURCE_VERSION", out var version) && version.Length > 0
            && !version.StartsWith("refs/", StringComparison.Ordinal) && !version.StartsWith("pr/", StringComparison.Ordinal)
            ? version
            : null;
    }
}
