using System.Text.Json;

namespace BuildFarm.Core.Import;

/// <summary>
/// Maps one CodePipeline action by its <c>actionTypeId</c>: GitHub (v1) and CodeStarSourceConnection sources,
/// CodeBuild builds and tests, CodeDeploy deployments, Manual approvals. Null for anything else; the caller
/// keeps those as comments and names them in the warnings.
/// </summary>
internal static class CodePipelineActionMapper
{
    public static ImportedAction? Map(string where, string category, string provider, JsonElement configuration, List<string> warnings)
    {
        string? Config(string key) =>
            configuration.ValueKind == JsonValueKind.Object && configuration.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;

        switch (category, provider)
        {
            case ("Source", "CodeStarSourceConnection"):
                return Source(where, Config("FullRepositoryId"), Config("BranchName"),
                    $"was CodeStar connection {Config("ConnectionArn") ?? "(none)"}", warnings);
            case ("Source", "GitHub"):
                var owner = Config("Owner");
                var repo = Config("Repo");
                return Source(where, owner is null || repo is null ? null : $"{owner}/{repo}", Config("Branch"),
                    "was a GitHub (v1) OAuth token, which get-pipeline never shows", warnings);
            case ("Build" or "Test", "CodeBuild"):
                return Build(where, category, Config("ProjectName"), Config("EnvironmentVariables"), warnings);
            case ("Deploy", "CodeDeploy"):
                return new ImportedAction("deploy",
                    [new("application", Config("ApplicationName") ?? ""), new("deploymentGroup", Config("DeploymentGroupName") ?? "")],
                    Empty, []);
            case ("Approval", "Manual"):
                var comments = new List<string>();
                if (Config("ExternalEntityLink") is { } link)
                {
                    comments.Add($"review link: {link}");
                }
                if (Config("NotificationArn") is { } topic)
                {
                    warnings.Add($"{where}: the SNS topic {topic} is not imported; add a 'notifications' rule with APPROVAL_NEEDED");
                }
                return new ImportedAction("approval",
                    Config("CustomData") is { } summary ? [new("summary", summary)] : [], Empty, comments);
            default:
                return null;
        }
    }

    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    private static ImportedAction Source(string where, string? repositoryId, string? branch, string credentialsNote, List<string> warnings)
    {
        if (repositoryId is null)
        {
            warnings.Add($"{where}: no repository in the configuration; fill in 'repository'");
        }
        var repositoryName = repositoryId?.Split('/')[^1] ?? "repository";
        var secret = $"git/{repositoryName}";
        warnings.Add($"{where}: credentials are not imported; store a token that can read {repositoryId ?? "the repository"} as the secret '{secret}'");
        return new ImportedAction("source",
            [
                new("repository", repositoryId is null ? "" : $"https://github.com/{repositoryId}.git"),
                new("branch", branch ?? "main"),
                new("credentialsSecret", secret),
            ],
            Empty,
            [$"credentialsSecret '{secret}' is a placeholder: {credentialsNote}"]);
    }

    private static ImportedAction Build(string where, string category, string? project, string? environmentJson, List<string> warnings)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        if (environmentJson is not null)
        {
            try
            {
                using var document = JsonDocument.Parse(environmentJson);
                foreach (var variable in document.RootElement.EnumerateArray())
                {
                    var name = variable.GetProperty("name").GetString() ?? "";
                    var type = variable.TryGetProperty("type", out var t) ? t.GetString() : "PLAINTEXT";
                    if (type == "PLAINTEXT")
                    {
                        variables[name] = variable.GetProperty("value").GetString() ?? "";
                    }
                    else
                    {
                        warnings.Add($"{where}: environment variable {name} comes from {type}; store it in the secret store and reference it from the buildspec");
                    }
                }
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
            {
                // CodePipeline stores this setting as a JSON string; a malformed one is reported, not fatal.
                warnings.Add($"{where}: EnvironmentVariables is not a JSON list of {{name, value, type}}; not imported");
            }
        }
        return new ImportedAction(category == "Test" ? "test" : "build",
            [new("buildspec", "buildspec.yml")],
            variables,
            [$"CodeBuild project '{project ?? "(unnamed)"}': the buildspec is read from the primary source; the project's image, compute and role are not imported"]);
    }
}
