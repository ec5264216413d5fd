using System.Text.Json;

namespace BuildFarm.Coordinator.Api;

/// <summary>The CODEBUILD_WEBHOOK_* and source-version variables a GitHub event gives a run, as CodeBuild sets them.</summary>
public static class GitHubVariables
{
    /// <summary>The variable holding the repository's <c>owner/name</c>: where commit statuses go.</summary>
    public const string Repository = "BUILDFARM_GITHUB_REPOSITORY";

    /// <summary>
    /// The run's variables, or null when the event does not start a run. A closed pull request starts one only
    /// when <paramref name="closedStartsRuns"/> (a pipeline whose filters ask for CLOSED).
    /// </summary>
    public static Dictionary<string, string>? From(string @event, JsonElement payload, bool closedStartsRuns = false)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (@event)
        {
            case "push":
                var @ref = Read(payload, "ref");
                var after = Read(payload, "after");
                variables["CODEBUILD_WEBHOOK_EVENT"] = "PUSH";
                variables["CODEBUILD_WEBHOOK_HEAD_REF"] = @ref;
                variables["CODEBUILD_WEBHOOK_TRIGGER"] = @ref.StartsWith("refs/tags/", StringComparison.Ordinal)
                    ? "tag/" + @ref["refs/tags/".Length..]
                    : "branch/" + @ref.Replace("refs/heads/", "", StringComparison.Ordinal);
                variables["CODEBUILD_WEBHOOK_PREV_COMMIT"] = Read(payload, "before");
                variables["CODEBUILD_SOURCE_VERSION"] = after;
                variables["CODEBUILD_RESOLVED_SOURCE_VERSION"] = after;
                break;
            case "pull_request":
                var action = Read(payload, "action");
                var kind = action switch
                {
                    "opened" => "PULL_REQUEST_CREATED",
                    "synchronize" => "PULL_REQUEST_UPDATED",
                    "reopened" => "PULL_REQUEST_REOPENED",
                    "closed" when closedStartsRuns => payload.TryGetProperty("pull_request", out var closed)
                        && closed.TryGetProperty("merged", out var merged) && merged.ValueKind == JsonValueKind.True
                            ? "PULL_REQUEST_MERGED"
                            : "PULL_REQUEST_CLOSED",
                    _ => null,
                };
                if (kind is null || !payload.TryGetProperty("pull_request", out var pr))
                {
                    return null;
                }

                var number = pr.TryGetProperty("number", out var n) ? n.GetRawText() : Read(payload, "number");
                var sha = pr.TryGetProperty("head", out var head) ? Read(head, "sha") : "";
                variables["CODEBUILD_WEBHOOK_EVENT"] = kind;
                variables["CODEBUILD_WEBHOOK_HEAD_REF"] = pr.TryGetProperty("head", out var h) ? "refs/heads/" + Read(h, "ref") : "";
                variables["CODEBUILD_WEBHOOK_BASE_REF"] = pr.TryGetProperty("base", out var b) ? "refs/heads/" + Read(b, "ref") : "";
                variables["CODEBUILD_WEBHOOK_TRIGGER"] = "pr/" + number;
                variables["CODEBUILD_SOURCE_VERSION"] = "pr/" + number;
                variables["CODEBUILD_RESOLVED_SOURCE_VERSION"] = sha;
                break;
            default:
                return null;
        }

        // The repository's default branch: the dependency cache saves only from it (feature branches and pull requests restore).
        if (payload.TryGetProperty("repository", out var repository) && Read(repository, "default_branch") is { Length: > 0 } defaultBranch)
        {
            variables["BUILDFARM_DEFAULT_BRANCH"] = defaultBranch;
        }

        if (Read(repository, "full_name") is { Length: > 0 } fullName)
        {
            variables[Repository] = fullName;
        }

        if (payload.TryGetProperty("sender", out var sender) && sender.TryGetProperty("id", out var id))
        {
            variables["CODEBUILD_WEBHOOK_ACTOR_ACCOUNT_ID"] = id.GetRawText();
        }

        return variables;
    }

    private static string Read(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : "";
}
