namespace BuildFarm.Core.Triggers;

/// <summary>
/// Decides whether a webhook event starts a pipeline, as CodePipeline's git triggers do: any one filter of the
/// event's kind matching is enough; with filters only for the other kind, the event does not start it.
/// </summary>
public static class TriggerFilterEvaluator
{
    public static TriggerDecision Evaluate(GitHubTriggers triggers, GitTriggerEvent trigger) =>
        trigger.Kind switch
        {
            GitEventKind.Push => EvaluatePush(triggers, trigger),
            _ => EvaluatePullRequest(triggers, trigger),
        };

    private static TriggerDecision EvaluatePush(GitHubTriggers triggers, GitTriggerEvent push)
    {
        if (triggers.Push.Count == 0)
        {
            return triggers.PullRequest.Count == 0
                ? TriggerDecision.Match("no filters: every push starts the pipeline")
                : TriggerDecision.NoMatch("the pipeline has no push filters, only pull request filters");
        }
        var reasons = new List<string>(triggers.Push.Count);
        for (var i = 0; i < triggers.Push.Count; i++)
        {
            var why = WhyPushFilterFails(triggers.Push[i], push);
            if (why is null)
            {
                return TriggerDecision.Match($"push filter {i + 1} matched {Describe(push)}");
            }
            reasons.Add($"push filter {i + 1}: {why}");
        }
        return TriggerDecision.NoMatch($"no push filter matched {Describe(push)} ({string.Join("; ", reasons)})");
    }

    private static string? WhyPushFilterFails(GitPushFilter filter, GitTriggerEvent push)
    {
        if (push.Tag is { } tag)
        {
            if (filter.Tags is null)
            {
                return "it has no tags";
            }
            return filter.Tags.Matches(tag) ? null : $"tag '{tag}' is not in {filter.Tags}";
        }
        if (filter.Branches is null && filter.Tags is not null)
        {
            return "it is for tags only";
        }
        var branch = push.Branch ?? "";
        if (filter.Branches is { } branches && !branches.Matches(branch))
        {
            return $"branch '{branch}' is not in {branches}";
        }
        return WhyFilesFail(filter.FilePaths, push.ChangedFiles);
    }

    private static TriggerDecision EvaluatePullRequest(GitHubTriggers triggers, GitTriggerEvent pr)
    {
        if (triggers.PullRequest.Count == 0)
        {
            return triggers.Push.Count == 0
                ? TriggerDecision.Match("no filters: every pull request starts the pipeline")
                : TriggerDecision.NoMatch("the pipeline has no pull request filters, only push filters");
        }
        var reasons = new List<string>(triggers.PullRequest.Count);
        for (var i = 0; i < triggers.PullRequest.Count; i++)
        {
            var filter = triggers.PullRequest[i];
            string? why;
            if (pr.PullRequestEvent is not { } kind || !filter.Events.Contains(kind))
            {
                why = $"event {pr.PullRequestEvent?.ToString().ToUpperInvariant() ?? "(none)"} is not in "
                    + string.Join(", ", filter.Events.Select(e => e.ToString().ToUpperInvariant()));
            }
            else if (filter.Branches is { } branches && !branches.Matches(pr.Branch ?? ""))
            {
                why = $"base branch '{pr.Branch}' is not in {branches}";
            }
            else
            {
                why = WhyFilesFail(filter.FilePaths, pr.ChangedFiles);
            }
            if (why is null)
            {
                return TriggerDecision.Match($"pull request filter {i + 1} matched {Describe(pr)}");
            }
            reasons.Add($"pull request filter {i + 1}: {why}");
        }
        return TriggerDecision.NoMatch($"no pull request filter matched {Describe(pr)} ({string.Join("; ", reasons)})");
    }

    private static string? WhyFilesFail(GitPatternFilter? filePaths, IReadOnlyCollection<string>? changedFiles)
    {
        if (filePaths is null)
        {
            return null;
        }
        if (changedFiles is null)
        {
            // Without a file list we cannot tell; starting a build is the safer mistake than missing a deploy.
            return null;
        }
        foreach (var path in changedFiles)
        {
            if (filePaths.Matches(path))
            {
                return null;
            }
        }
        return changedFiles.Count == 0
            ? "no files changed"
            : $"none of the {changedFiles.Count} changed file(s) is in {filePaths}";
    }

    private static string Describe(GitTriggerEvent e) => e.Kind == GitEventKind.Push
        ? e.Tag is { } tag ? $"tag '{tag}'" : $"branch '{e.Branch}'"
        : $"pull request {e.PullRequestEvent?.ToString().ToUpperInvariant() ?? "(other action)"} on '{e.Branch}'";
}
