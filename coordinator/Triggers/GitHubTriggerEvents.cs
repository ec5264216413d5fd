using System.Text.Json;
using BuildFarm.Core.Triggers;

namespace BuildFarm.Coordinator.Triggers;

/// <summary>Reduces a GitHub push or pull_request payload to what trigger filters look at.</summary>
public static class GitHubTriggerEvents
{
    /// <summary>GitHub lists at most 2048 commits per push; the bound keeps a huge push from costing much memory.</summary>
    private const int MaxChangedFiles = 20_000;

    /// <summary>Null for events that filters do not cover (anything but push and pull_request).</summary>
    public static GitTriggerEvent? From(string @event, JsonElement payload)
    {
        switch (@event)
        {
            case "push":
                return GitTriggerEvent.Push(ReadString(payload, "ref"), ChangedFiles(payload));
            case "pull_request":
                var baseBranch = payload.TryGetProperty("pull_request", out var pr) && pr.TryGetProperty("base", out var b)
                    ? ReadString(b, "ref")
                    : "";
                // The payload does not list a pull request's files; file path filters let it through (see the evaluator).
                return new GitTriggerEvent(GitEventKind.PullRequest, baseBranch, null,
                    GitTriggerEvent.PullRequestEventOf(ReadString(payload, "action")), null);
            default:
                return null;
        }
    }

    private static HashSet<string>? ChangedFiles(JsonElement payload)
    {
        if (!payload.TryGetProperty("commits", out var commits) || commits.ValueKind != JsonValueKind.Array)
        {
            return null;
        }
        var files = new HashSet<string>(StringComparer.Ordinal);
        foreach (var commit in commits.EnumerateArray())
        {
            foreach (var list in (ReadOnlySpan<string>)["added", "modified", "removed"])
            {
                if (commit.ValueKind != JsonValueKind.Object || !commit.TryGetProperty(list, out var paths) || paths.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }
                foreach (var path in paths.EnumerateArray())
                {
                    if (path.ValueKind != JsonValueKind.String)
                    {
                        continue;
                    }
                    if (files.Count == MaxChangedFiles)
                    {
                        // Too many to judge by: treated as "not listed", which file path filters let through.
                        return null;
                    }
                    files.Add(path.GetString()!);
                }
            }
        }
        return files;
    }

    private static string ReadString(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : "";
}
