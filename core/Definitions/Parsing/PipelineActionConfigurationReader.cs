using BuildFarm.Core.Definitions.Pipelines;
using BuildFarm.Core.Deployments;
using Keys = BuildFarm.Core.Definitions.Pipelines.ActionConfigurationKeys;

namespace BuildFarm.Core.Definitions.Parsing;

/// <summary>Reads an action's 'configuration' against the keys its category takes, and checks each value.</summary>
internal static class PipelineActionConfigurationReader
{
    private static readonly string[] RepositorySchemes = ["https://", "http://", "file://", "ssh://", "git://"];

    private static readonly IReadOnlyDictionary<string, string> NoEntries = new Dictionary<string, string>();

    public static (IReadOnlyDictionary<string, string> Settings, IReadOnlyDictionary<string, string> Environment) Read(
        ParseContext context, PipelineActionCategory category, SpecMapping action, SpecNode? node, string field)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        var environment = NoEntries;
        var known = Keys.For(category);
        var mapping = node is null ? null : context.Mapping(node, field);
        foreach (var (key, value) in mapping?.Entries ?? [])
        {
            var valueField = $"{field}.{key.Value}";
            if (!known.Contains(key.Value))
            {
                context.UnknownKey(key, field, [.. known]);
                continue;
            }
            if (key.Value == Keys.EnvironmentVariables)
            {
                environment = context.StringMap(value, valueField);
                continue;
            }
            if (Check(context, key.Value, value, valueField) is { } checkedValue)
            {
                settings[key.Value] = checkedValue;
            }
        }
        if (node is null || mapping is not null)
        {
            foreach (var required in Keys.RequiredFor(category))
            {
                if (mapping?.FindKey(required) is null)
                {
                    context.Error((SpecNode?)mapping ?? action, $"{field}.{required}",
                        $"{PipelineArtifactFlow.Article(category)} {category.ToString().ToLowerInvariant()} action needs 'configuration.{required}'.");
                }
            }
        }
        return (settings, environment);
    }

    private static string? Check(ParseContext context, string key, SpecNode value, string field)
    {
        switch (key)
        {
            case Keys.CloneDepth:
                // 0 is the whole history, as git's own --depth cannot say.
                return PipelineFileReader.ReadInt(context, value, field, 0, 1_000_000)?.ToString(System.Globalization.CultureInfo.InvariantCulture);
            case Keys.TimeoutInMinutes:
                return PipelineFileReader.ReadInt(context, value, field, 1, Keys.MaxBuildMinutes)?.ToString(System.Globalization.CultureInfo.InvariantCulture);
            case Keys.TimeoutMinutes:
                return PipelineFileReader.ReadInt(context, value, field, 1, Keys.MaxApprovalMinutes)?.ToString(System.Globalization.CultureInfo.InvariantCulture);
            case Keys.Submodules:
                return context.Bool(value, field) ? "true" : "false";
        }
        var text = context.String(value, field);
        if (text is null || text.Length == 0)
        {
            if (value is SpecScalar)
            {
                context.Error(value, field, $"'{key}' is empty.");
            }
            return null;
        }
        switch (key)
        {
            case Keys.Repository when !RepositorySchemes.Any(s => text.StartsWith(s, StringComparison.OrdinalIgnoreCase)):
                context.Error(value, field, $"The repository '{text}' is not a git URL; use one starting with {string.Join(", ", RepositorySchemes)}.");
                return null;
            case Keys.BuildSpec when text.StartsWith('/') || text.Split('/', '\\').Contains(".."):
                context.Error(value, field, $"The buildspec path '{text}' must be relative to the primary input artifact and stay inside it.");
                return null;
            case Keys.DeploymentConfig when !DeploymentConfig.TryParse(text, out _, out var error):
                context.Error(value, field, error);
                return null;
            default:
                return text;
        }
    }
}
