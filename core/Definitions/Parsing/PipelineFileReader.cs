using System.Text.RegularExpressions;
using BuildFarm.Core.Definitions.Pipelines;
using BuildFarm.Core.Notifications;
using BuildFarm.Core.Triggers;

namespace BuildFarm.Core.Definitions.Parsing;

/// <summary>Reads the top level of a pipeline file: version, execution mode, variables, stages; triggers and notifications by their readers.</summary>
internal static partial class PipelineFileReader
{
    private static readonly string[] Keys = ["version", "executionMode", "variables", "triggers", "stages", "notifications"];
    private static readonly string[] VariableKeys = ["name", "default", "description"];
    private static readonly string[] Modes = ["SUPERSEDED", "QUEUED", "PARALLEL"];

    public static PipelineDefinition Read(ParseContext context, SpecMapping root)
    {
        var mode = PipelineExecutionMode.Superseded;
        IReadOnlyList<PipelineVariable> variables = [];
        IReadOnlyList<PipelineStage> stages = [];
        foreach (var (key, node) in root.Entries)
        {
            switch (key.Value)
            {
                case "version":
                    ReadVersion(context, node);
                    break;
                case "executionMode":
                    mode = ReadMode(context, node);
                    break;
                case "variables":
                    variables = ReadVariables(context, node);
                    break;
                case "stages":
                    stages = PipelineStagesReader.Read(context, key, node);
                    break;
                case "triggers":
                    // Read again where they are used (PipelineEdgesParser); here only their diagnostics count.
                    TriggersSectionReader.Read(context, key, node);
                    break;
                case "notifications":
                    NotificationsSectionReader.Read(context, key, node);
                    break;
                default:
                    context.UnknownKey(key, "", Keys);
                    break;
            }
        }
        if (root.FindKey("version") is null)
        {
            context.Error(root, "version", "The pipeline file has no 'version'; start it with 'version: 1'.");
        }
        if (root.FindKey("stages") is null)
        {
            context.Error(root, "stages", "The pipeline file has no 'stages'; a pipeline needs at least one stage with one action.");
        }
        return new PipelineDefinition(1, mode, variables, stages);
    }

    /// <summary>An integer between <paramref name="min"/> and <paramref name="max"/>, or null (reported) when it is not one.</summary>
    internal static int? ReadInt(ParseContext context, SpecNode node, string field, int min, int max)
    {
        var text = context.String(node, field);
        if (text is null)
        {
            if (node is SpecScalar)
            {
                context.Error(node, field, $"'{field}' is empty; give a whole number from {min} to {max}.");
            }
            return null;
        }
        if (!int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value)
            || value < min || value > max)
        {
            context.Error(node, field, $"'{text}' is not a whole number from {min} to {max}.");
            return null;
        }
        return value;
    }

    /// <summary>CodePipeline's name rule for stages and actions.</summary>
    internal static bool IsValidName(string name) => NamePattern().IsMatch(name);

    /// <summary>CodePipeline's artifact name rule; it also ends up in CODEBUILD_SRC_DIR_&lt;name&gt;.</summary>
    internal static bool IsValidArtifactName(string name) => ArtifactNamePattern().IsMatch(name);

    private static void ReadVersion(ParseContext context, SpecNode node)
    {
        var version = context.String(node, "version");
        if (version != "1" && node is SpecScalar)
        {
            context.Error(node, "version", version is null
                ? "'version' is empty; use 'version: 1'."
                : $"Unsupported pipeline file version '{version}'; the only version is 1.");
        }
    }

    private static PipelineExecutionMode ReadMode(ParseContext context, SpecNode node)
    {
        switch (context.String(node, "executionMode"))
        {
            case "SUPERSEDED" or null:
                return PipelineExecutionMode.Superseded;
            case "QUEUED":
                return PipelineExecutionMode.Queued;
            case "PARALLEL":
                return PipelineExecutionMode.Parallel;
            case var other:
                var suggestion = KeySuggestion.Closest(other, Modes);
                context.Error(node, "executionMode", suggestion is null
                    ? $"Unknown execution mode '{other}'; use one of: {string.Join(", ", Modes)}."
                    : $"Unknown execution mode '{other}'; did you mean '{suggestion}'?");
                return PipelineExecutionMode.Superseded;
        }
    }

    private static List<PipelineVariable> ReadVariables(ParseContext context, SpecNode node)
    {
        var variables = new List<PipelineVariable>();
        if (node is SpecScalar { IsNull: true })
        {
            return variables;
        }
        if (node is not SpecSequence sequence)
        {
            context.Error(node, "variables", $"'variables' is a list of '- name: … default: …' entries, found {node.Describe()}.");
            return variables;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var field = $"variables[{i}]";
            var mapping = context.Mapping(sequence.Items[i], field);
            if (mapping is null)
            {
                continue;
            }
            string? name = null;
            var fallback = "";
            string? description = null;
            foreach (var (key, value) in mapping.Entries)
            {
                switch (key.Value)
                {
                    case "name":
                        name = context.String(value, $"{field}.name");
                        if (name is not null && !VariableNamePattern().IsMatch(name))
                        {
                            context.Error(value, $"{field}.name", $"Variable name '{name}' is invalid: it becomes an environment variable, so use 1-128 letters, digits or '_', not starting with a digit.");
                        }
                        else if (name is not null && !seen.Add(name))
                        {
                            context.Error(value, $"{field}.name", $"Variable '{name}' is declared twice; names must be unique.");
                        }
                        break;
                    case "default":
                        fallback = context.String(value, $"{field}.default") ?? "";
                        break;
                    case "description":
                        description = context.String(value, $"{field}.description");
                        break;
                    default:
                        context.UnknownKey(key, field, VariableKeys);
                        break;
                }
            }
            if (name is null)
            {
                if (mapping.FindKey("name") is null)
                {
                    context.Error(mapping, $"{field}.name", "A variable needs a 'name'.");
                }
                continue;
            }
            variables.Add(new PipelineVariable(name, fallback, description));
        }
        return variables;
    }

    [GeneratedRegex("^[A-Za-z0-9.@_-]{1,100}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,100}$", RegexOptions.CultureInvariant)]
    private static partial Regex ArtifactNamePattern();

    // Every action gets it as an environment variable, so it must be a name bash can export.
    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex VariableNamePattern();
}
