using BuildFarm.Coordinator.Errors;

namespace BuildFarm.Coordinator.Runs;

/// <summary>
/// The source revision a trigger names (HTTP, gRPC, the bus), recorded the way CodeBuild's StartBuild
/// sourceVersion is: as <c>CODEBUILD_SOURCE_VERSION</c>, and for a full commit SHA also as
/// <c>CODEBUILD_RESOLVED_SOURCE_VERSION</c>, which a pipeline's source action checks out and run lists show as the commit.
/// </summary>
public static class SourceVersion
{
    public const string Variable = "CODEBUILD_SOURCE_VERSION";
    public const string ResolvedVariable = "CODEBUILD_RESOLVED_SOURCE_VERSION";
    private const int MaxLength = 255;

    /// <summary>The run's variables with the source version set over any of the same name; unchanged when there is none.</summary>
    /// <exception cref="RequestInvalidException">Too long, or it contains white space or control characters.</exception>
    public static IReadOnlyDictionary<string, string>? Apply(IReadOnlyDictionary<string, string>? variables, string? sourceVersion)
    {
        if (string.IsNullOrEmpty(sourceVersion))
        {
            return variables;
        }

        // A leading '-' would reach git's command line as an option (--upload-pack=…) when a source action fetches it.
        if (sourceVersion.Length > MaxLength || sourceVersion.StartsWith('-') || sourceVersion.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new RequestInvalidException("source_version",
                $"source_version must be a commit SHA, refs/heads/BRANCH, refs/tags/TAG or pr/N of at most {MaxLength} characters, without spaces and not starting with '-'.");
        }

        var merged = new Dictionary<string, string>(variables ?? new Dictionary<string, string>(), StringComparer.Ordinal) { [Variable] = sourceVersion };
        if (IsCommit(sourceVersion))
        {
            merged[ResolvedVariable] = sourceVersion;
        }

        return merged;
    }

    /// <summary>A full SHA-1 or SHA-256 object name.</summary>
    private static bool IsCommit(string value) => value.Length is 40 or 64 && value.All(char.IsAsciiHexDigit);
}
