using System.ComponentModel.DataAnnotations;

namespace BuildFarm.Coordinator.Options;

/// <summary>Commit statuses for runs started by a GitHub webhook.</summary>
public sealed class GitHubOptions
{
    public const string SectionName = "GitHub";

    /// <summary>Off: webhook runs report nothing back to GitHub.</summary>
    public bool CommitStatuses { get; set; } = true;

    /// <summary>GitHub's REST API; GitHub Enterprise is <c>https://HOST/api/v3</c>.</summary>
    [Required]
    public string ApiBaseUrl { get; set; } = "https://api.github.com";

    /// <summary>The secret store name holding the token that may write statuses.</summary>
    [Required]
    public string TokenSecret { get; set; } = "github/token";

    /// <summary>The dashboard's public base URL for <c>target_url</c>; default: <c>Coordinator:HttpUrl</c>.</summary>
    public string? DashboardUrl { get; set; }
}
