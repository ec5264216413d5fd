using Microsoft.Extensions.Options;

namespace BuildFarm.Storage.Artifacts;

/// <summary>What data annotations cannot say: which settings the chosen backend needs.</summary>
public sealed class ArtifactOptionsValidator : IValidateOptions<ArtifactOptions>
{
    public ValidateOptionsResult Validate(string? name, ArtifactOptions options)
    {
        List<string> failures = [];
        if (options.Backend == ArtifactOptions.FileSystemBackend && string.IsNullOrWhiteSpace(options.FileSystemRoot))
        {
            failures.Add("Artifacts:FileSystemRoot is required when Artifacts:Backend is FileSystem.");
        }

        if (options.Backend == ArtifactOptions.S3Backend)
        {
            if (options.S3ServiceUrl is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                failures.Add("Artifacts:S3ServiceUrl is required when Artifacts:Backend is S3 (an http or https URL, e.g. http://127.0.0.1:9000).");
            }

            Require(failures, options.S3Bucket, "Artifacts:S3Bucket");
            Require(failures, options.S3AccessKey, "Artifacts:S3AccessKey");
            Require(failures, options.S3SecretKey, "Artifacts:S3SecretKey");
            // The prefix becomes the first segments of every key, so it obeys the same rules.
            if (options.S3Prefix.Length > 0 && ArtifactKey.Problem(options.S3Prefix.TrimEnd('/') + "/x") is { } problem)
            {
                failures.Add($"Artifacts:S3Prefix '{options.S3Prefix}' {problem}.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Require(List<string> failures, string? value, string key)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            failures.Add($"{key} is required when Artifacts:Backend is S3.");
        }
    }
}
