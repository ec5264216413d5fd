using Microsoft.Extensions.Options;

namespace BuildFarm.Coordinator.Options;

internal sealed class GitHubOptionsValidator : IValidateOptions<GitHubOptions>
{
    public ValidateOptionsResult Validate(string? name, GitHubOptions options)
    {
        if (!IsHttpUrl(options.ApiBaseUrl))
        {
            return ValidateOptionsResult.Fail($"GitHub:ApiBaseUrl '{options.ApiBaseUrl}' must be an absolute http or https URL.");
        }
        if (options.DashboardUrl is { Length: > 0 } dashboard && !IsHttpUrl(dashboard))
        {
            return ValidateOptionsResult.Fail($"GitHub:DashboardUrl '{dashboard}' must be an absolute http or https URL.");
        }
        return string.IsNullOrWhiteSpace(options.TokenSecret)
            ? ValidateOptionsResult.Fail("GitHub:TokenSecret must name a secret in the secret store (e.g. github/token).")
            : ValidateOptionsResult.Success;
    }

    private static bool IsHttpUrl(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
}
