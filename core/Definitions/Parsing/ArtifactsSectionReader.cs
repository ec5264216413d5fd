namespace BuildFarm.Core.Definitions.Parsing;

/// <summary>Reads <c>artifacts</c> and each of its <c>secondary-artifacts</c>.</summary>
internal static class ArtifactsSectionReader
{
    private static readonly string[] Keys =
    [
        "files", "name", "discard-paths", "base-directory", "exclude-paths", "enable-symlinks", "s3-prefix",
        "secondary-artifacts",
    ];

    private static readonly string[] SecondaryKeys = Keys[..^1];

    public static BuildSpecArtifacts? Read(ParseContext context, SpecScalar sectionKey, SpecNode value) =>
        ReadOne(context, sectionKey, value, "artifacts", isPrimary: true);

    private static BuildSpecArtifacts? ReadOne(
        ParseContext context, SpecScalar sectionKey, SpecNode value, string field, bool isPrimary)
    {
        var mapping = context.Mapping(value, field);
        if (mapping is null)
        {
            return null;
        }

        IReadOnlyList<string> files = [];
        var filesGiven = false;
        var artifacts = new BuildSpecArtifacts([]);
        foreach (var (key, node) in mapping.Entries)
        {
            switch (key.Value)
            {
                case "files":
                    files = context.StringList(node, $"{field}.files");
                    filesGiven = !ParseContext.IsEmpty(node);
                    break;
                case "name":
                    artifacts = artifacts with { Name = context.String(node, $"{field}.name") };
                    break;
                case "discard-paths":
                    artifacts = artifacts with { DiscardPaths = context.Bool(node, $"{field}.discard-paths") };
                    break;
                case "base-directory":
                    artifacts = artifacts with { BaseDirectory = context.String(node, $"{field}.base-directory") };
                    break;
                case "exclude-paths":
                    artifacts = artifacts with { ExcludePaths = ReadPaths(context, node, $"{field}.exclude-paths") };
                    break;
                case "enable-symlinks":
                    artifacts = artifacts with { EnableSymlinks = context.Bool(node, $"{field}.enable-symlinks") };
                    break;
                case "s3-prefix":
                    artifacts = artifacts with { S3Prefix = context.String(node, $"{field}.s3-prefix") };
                    break;
                case "secondary-artifacts" when isPrimary:
                    artifacts = artifacts with { SecondaryArtifacts = ReadSecondary(context, node) };
                    break;
                default:
                    context.UnknownKey(key, field, isPrimary ? Keys : SecondaryKeys);
                    break;
            }
        }

        if (!filesGiven)
        {
            context.Error(sectionKey, $"{field}.files", $"'{field}' has no 'files'; list the paths to keep.");
        }
        return files.Count == 0 ? null : artifacts with { Files = files };
    }

    private static Dictionary<string, BuildSpecArtifacts> ReadSecondary(ParseContext context, SpecNode value)
    {
        var result = new Dictionary<string, BuildSpecArtifacts>(StringComparer.Ordinal);
        var mapping = context.Mapping(value, "artifacts.secondary-artifacts");
        if (mapping is null)
        {
            return result;
        }
        foreach (var (key, node) in mapping.Entries)
        {
            var field = $"artifacts.secondary-artifacts.{key.Value}";
            if (ReadOne(context, key, node, field, isPrimary: false) is { } artifact)
            {
                result[key.Value] = artifact;
            }
        }
        return result;
    }

    // CodeBuild's reference shows exclude-paths both as one glob and as a list; both are accepted.
    private static IReadOnlyList<string> ReadPaths(ParseContext context, SpecNode node, string field) =>
        node is SpecScalar { IsNull: false } scalar ? [scalar.Value] : context.StringList(node, field);
}
