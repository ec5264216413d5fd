using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace BuildFarm.Core.Import;

/// <summary>
/// Turns the JSON that <c>aws codepipeline get-pipeline</c> prints into a BuildFarm pipeline file. Pure: the
/// caller reads the file and decides where the YAML and the warnings go.
/// </summary>
public static class CodePipelineImporter
{
    private static readonly string[] ExecutionModes = ["SUPERSEDED", "QUEUED", "PARALLEL"];
    private static readonly string[] PullRequestEvents = ["OPEN", "UPDATED", "CLOSED"];

    // Only ever written into a YAML comment, so readability beats HTML-safe escaping.
    private static readonly JsonSerializerOptions CommentJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static CodePipelineImportResult Import(string json, string? name = null)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new CodePipelineImportException($"not JSON: {e.Message}");
        }
        using (document)
        {
            return Import(document.RootElement, name);
        }
    }

    private static CodePipelineImportResult Import(JsonElement root, string? name)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("pipeline", out var pipeline) || pipeline.ValueKind != JsonValueKind.Object)
        {
            throw new CodePipelineImportException("expected the output of 'aws codepipeline get-pipeline': an object with a 'pipeline' object");
        }
        if (!pipeline.TryGetProperty("stages", out var stages) || stages.ValueKind != JsonValueKind.Array)
        {
            throw new CodePipelineImportException("'pipeline.stages' is missing or not a list");
        }

        name ??= Text(pipeline, "name") ?? "imported";
        var warnings = new List<string>();
        var yaml = new StringBuilder();
        yaml.Append("# Imported from AWS CodePipeline '").Append(Text(pipeline, "name") ?? name).AppendLine("' by buildfarm pipeline import.");
        yaml.AppendLine("version: 1");
        // V2 pipelines carry these on 'pipeline'; older tooling printed them beside it.
        if ((Text(pipeline, "executionMode") ?? Text(root, "executionMode")) is { } mode)
        {
            if (ExecutionModes.Contains(mode))
            {
                yaml.Append("executionMode: ").AppendLine(mode);
            }
            else
            {
                warnings.Add($"executionMode {mode} is not one of {string.Join(", ", ExecutionModes)}; the default (SUPERSEDED) applies");
            }
        }
        WriteVariables(yaml, Property(pipeline, "variables") ?? Property(root, "variables"));
        WriteTriggers(yaml, Property(pipeline, "triggers") ?? Property(root, "triggers"), warnings);
        yaml.AppendLine("stages:");
        foreach (var stage in stages.EnumerateArray())
        {
            WriteStage(yaml, stage, warnings);
        }
        return new CodePipelineImportResult(name, yaml.ToString(), warnings);
    }

    private static void WriteVariables(StringBuilder yaml, JsonElement? variables)
    {
        if (variables is not { ValueKind: JsonValueKind.Array } list || list.GetArrayLength() == 0)
        {
            return;
        }
        yaml.AppendLine("variables:");
        foreach (var variable in list.EnumerateArray())
        {
            yaml.Append("  - name: ").AppendLine(YamlText.Scalar(Text(variable, "name") ?? ""));
            if (Text(variable, "defaultValue") is { } value)
            {
                yaml.Append("    default: ").AppendLine(YamlText.Scalar(value));
            }
            if (Text(variable, "description") is { } description)
            {
                yaml.Append("    description: ").AppendLine(YamlText.Scalar(description));
            }
        }
    }

    private static void WriteTriggers(StringBuilder yaml, JsonElement? triggers, List<string> warnings)
    {
        if (triggers is not { ValueKind: JsonValueKind.Array } list || list.GetArrayLength() == 0)
        {
            return;
        }
        var push = new List<string>();
        var pullRequest = new List<string>();
        foreach (var trigger in list.EnumerateArray())
        {
            if (Property(trigger, "gitConfiguration") is not { } git)
            {
                warnings.Add($"a trigger of provider {Text(trigger, "providerType") ?? "(none)"} has no gitConfiguration; not imported");
                continue;
            }
            foreach (var filter in Items(git, "push"))
            {
                push.Add(FilterLine(filter, ["branches", "tags", "filePaths"], null));
            }
            foreach (var filter in Items(git, "pullRequest"))
            {
                var events = Items(filter, "events").Select(e => e.GetString() ?? "").Where(PullRequestEvents.Contains).ToList();
                pullRequest.Add(FilterLine(filter, ["branches", "filePaths"], events.Count == 0 ? null : events));
            }
        }
        if (push.Count == 0 && pullRequest.Count == 0)
        {
            return;
        }
        yaml.AppendLine("triggers:").AppendLine("  github:");
        WriteFilters(yaml, "push", push);
        WriteFilters(yaml, "pullRequest", pullRequest);
    }

    private static void WriteFilters(StringBuilder yaml, string kind, List<string> filters)
    {
        if (filters.Count == 0)
        {
            return;
        }
        yaml.Append("    ").Append(kind).AppendLine(":");
        foreach (var filter in filters)
        {
            yaml.Append("      - ").AppendLine(filter);
        }
    }

    // One filter on one line in flow style: { branches: { include: [main], exclude: [] }, filePaths: … }.
    private static string FilterLine(JsonElement filter, string[] keys, List<string>? events)
    {
        var parts = new List<string>();
        foreach (var key in keys)
        {
            if (Property(filter, key) is not { ValueKind: JsonValueKind.Object } patterns)
            {
                continue;
            }
            var include = Items(patterns, "includes").Select(p => YamlText.Scalar(p.GetString() ?? "")).ToList();
            var exclude = Items(patterns, "excludes").Select(p => YamlText.Scalar(p.GetString() ?? "")).ToList();
            var lists = new List<string>();
            if (include.Count > 0)
            {
                lists.Add($"include: [{string.Join(", ", include)}]");
            }
            if (exclude.Count > 0)
            {
                lists.Add($"exclude: [{string.Join(", ", exclude)}]");
            }
            parts.Add($"{key}: {{ {string.Join(", ", lists)} }}");
        }
        if (events is not null)
        {
            parts.Add($"events: [{string.Join(", ", events)}]");
        }
        return $"{{ {string.Join(", ", parts)} }}";
    }

    private static void WriteStage(StringBuilder yaml, JsonElement stage, List<string> warnings)
    {
        var stageName = Text(stage, "name") ?? "Stage";
        yaml.Append("  - name: ").AppendLine(YamlText.Scalar(stageName));
        var actions = Items(stage, "actions").ToList();
        var body = new StringBuilder();
        var mapped = 0;
        foreach (var action in actions)
        {
            if (WriteAction(body, stageName, action, warnings))
            {
                mapped++;
            }
        }
        yaml.Append(mapped == 0 ? "    actions: []\n" : "    actions:\n").Append(body);
    }

    private static bool WriteAction(StringBuilder yaml, string stageName, JsonElement action, List<string> warnings)
    {
        var actionName = Text(action, "name") ?? "Action";
        var type = Property(action, "actionTypeId");
        var category = type is { } t ? Text(t, "category") ?? "" : "";
        var provider = type is { } p ? Text(p, "provider") ?? "" : "";
        var owner = type is { } o ? Text(o, "owner") ?? "" : "";
        var where = $"stage {stageName}, action {actionName}";
        var configuration = Property(action, "configuration") ?? default;
        var imported = CodePipelineActionMapper.Map(where, category, provider, configuration, warnings);
        if (imported is null)
        {
            warnings.Add($"{where}: {category}/{owner}/{provider} cannot be mapped; kept as a comment");
            yaml.Append("      # not imported: ").Append(YamlText.Scalar(actionName)).Append(" (").Append(category).Append('/').Append(owner).Append('/').Append(provider)
                .Append(") configuration ").AppendLine(configuration.ValueKind == JsonValueKind.Undefined ? "{}" : JsonSerializer.Serialize(configuration, CommentJson));
            return false;
        }

        yaml.Append("      - name: ").AppendLine(YamlText.Scalar(actionName));
        yaml.Append("        category: ").AppendLine(imported.Category);
        if (action.TryGetProperty("runOrder", out var runOrder) && runOrder.ValueKind == JsonValueKind.Number)
        {
            yaml.Append("        runOrder: ").AppendLine(runOrder.GetRawText());
        }
        foreach (var comment in imported.Comments)
        {
            yaml.Append("        # ").AppendLine(comment);
        }
        WriteArtifacts(yaml, "inputArtifacts", action);
        if (imported.Configuration.Count > 0 || imported.EnvironmentVariables.Count > 0)
        {
            yaml.AppendLine("        configuration:");
            foreach (var (key, value) in imported.Configuration)
            {
                yaml.Append("          ").Append(key).Append(": ").AppendLine(YamlText.Scalar(value));
            }
            if (imported.EnvironmentVariables.Count > 0)
            {
                yaml.AppendLine("          environmentVariables:");
                foreach (var (key, value) in imported.EnvironmentVariables)
                {
                    yaml.Append("            ").Append(YamlText.Scalar(key)).Append(": ").AppendLine(YamlText.Scalar(value));
                }
            }
        }
        WriteArtifacts(yaml, "outputArtifacts", action);
        return true;
    }

    private static void WriteArtifacts(StringBuilder yaml, string key, JsonElement action)
    {
        var names = Items(action, key).Select(a => Text(a, "name")).OfType<string>().Select(YamlText.Scalar).ToList();
        if (names.Count > 0)
        {
            yaml.Append("        ").Append(key).Append(": [").Append(string.Join(", ", names)).AppendLine("]");
        }
    }

    private static JsonElement? Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : null;

    private static string? Text(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static IEnumerable<JsonElement> Items(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.Array } list ? list.EnumerateArray() : [];
}
