using BuildFarm.Core.Definitions.Pipelines;

namespace BuildFarm.Core.Definitions.Parsing;

/// <summary>Reads 'stages' → actions, then checks names and the artifact flow across the whole pipeline.</summary>
internal static class PipelineStagesReader
{
    private static readonly string[] StageKeys = ["name", "actions"];
    private static readonly string[] ActionKeys = ["name", "category", "runOrder", "configuration", "inputArtifacts", "outputArtifacts"];

    public static IReadOnlyList<PipelineStage> Read(ParseContext context, SpecScalar key, SpecNode node)
    {
        var stages = new List<PipelineStage>();
        var located = new List<LocatedAction>();
        if (node is not SpecSequence sequence || sequence.Items.Count == 0)
        {
            context.Error(node is SpecScalar { IsNull: true } ? key : node, "stages", node is SpecSequence or SpecScalar { IsNull: true }
                ? "'stages' is empty; a pipeline needs at least one stage with one action."
                : $"'stages' is a list of '- name: … actions: […]' entries, found {node.Describe()}.");
            return stages;
        }
        if (sequence.Items.Count > PipelineDefinition.MaxStages)
        {
            context.Error(sequence.Items[PipelineDefinition.MaxStages], "stages",
                $"The pipeline has {sequence.Items.Count} stages; at most {PipelineDefinition.MaxStages} are allowed.");
        }
        var stageNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var field = $"stages[{i}]";
            var mapping = context.Mapping(sequence.Items[i], field);
            if (mapping is null)
            {
                continue;
            }
            var name = ReadName(context, mapping, field, "stage", stageNames);
            var actions = new List<PipelineAction>();
            foreach (var (entryKey, value) in mapping.Entries)
            {
                switch (entryKey.Value)
                {
                    case "name":
                        break;
                    case "actions":
                        actions = ReadActions(context, entryKey, value, field, i, located);
                        break;
                    default:
                        context.UnknownKey(entryKey, field, StageKeys);
                        break;
                }
            }
            if (mapping.FindKey("actions") is null)
            {
                context.Error(mapping, $"{field}.actions", "A stage needs 'actions': a list of at least one action.");
            }
            stages.Add(new PipelineStage(name ?? "", actions));
        }
        PipelineArtifactFlow.Check(context, located);
        return stages;
    }

    private static List<PipelineAction> ReadActions(ParseContext context, SpecScalar key, SpecNode node, string stageField, int stageIndex, List<LocatedAction> located)
    {
        var actions = new List<PipelineAction>();
        var field = $"{stageField}.actions";
        if (node is not SpecSequence sequence || sequence.Items.Count == 0)
        {
            context.Error(node is SpecScalar { IsNull: true } ? key : node, field, node is SpecSequence or SpecScalar { IsNull: true }
                ? "'actions' is empty; a stage needs at least one action."
                : $"'actions' is a list of '- name: … category: …' entries, found {node.Describe()}.");
            return actions;
        }
        if (sequence.Items.Count > PipelineDefinition.MaxActionsPerStage)
        {
            context.Error(sequence.Items[PipelineDefinition.MaxActionsPerStage], field,
                $"The stage has {sequence.Items.Count} actions; at most {PipelineDefinition.MaxActionsPerStage} are allowed per stage.");
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var actionField = $"{field}[{i}]";
            var mapping = context.Mapping(sequence.Items[i], actionField);
            if (mapping is null)
            {
                continue;
            }
            var action = ReadAction(context, mapping, actionField, names, out var inputs, out var outputs);
            if (action is not null)
            {
                actions.Add(action);
                located.Add(new LocatedAction(stageIndex, action, actionField, mapping, inputs, outputs));
            }
        }
        return actions;
    }

    private static PipelineAction? ReadAction(ParseContext context, SpecMapping mapping, string field, HashSet<string> names,
        out IReadOnlyList<(string Name, SpecNode At)> inputs, out IReadOnlyList<(string Name, SpecNode At)> outputs)
    {
        var name = ReadName(context, mapping, field, "action", names);
        PipelineActionCategory? category = null;
        var runOrder = 1;
        SpecNode? configuration = null;
        inputs = [];
        outputs = [];
        foreach (var (key, value) in mapping.Entries)
        {
            switch (key.Value)
            {
                case "name":
                    break;
                case "category":
                    category = ReadCategory(context, value, $"{field}.category");
                    break;
                case "runOrder":
                    runOrder = PipelineFileReader.ReadInt(context, value, $"{field}.runOrder", 1, 999) ?? 1;
                    break;
                case "configuration":
                    configuration = value;
                    break;
                case "inputArtifacts":
                    inputs = ReadArtifactNames(context, value, $"{field}.inputArtifacts");
                    break;
                case "outputArtifacts":
                    outputs = ReadArtifactNames(context, value, $"{field}.outputArtifacts");
                    break;
                default:
                    context.UnknownKey(key, field, ActionKeys);
                    break;
            }
        }
        if (mapping.FindKey("category") is null)
        {
            context.Error(mapping, $"{field}.category", "An action needs a 'category': source, build, test, deploy, approval or invoke.");
        }
        if (category is not { } known)
        {
            return null;
        }
        var (settings, environment) = PipelineActionConfigurationReader.Read(context, known, mapping, configuration, $"{field}.configuration");
        return new PipelineAction(name ?? "", known, runOrder, settings, environment,
            [.. inputs.Select(i => i.Name)], [.. outputs.Select(o => o.Name)]);
    }

    private static string? ReadName(ParseContext context, SpecMapping mapping, string field, string what, HashSet<string> seen)
    {
        var entry = mapping.Entries.FirstOrDefault(e => e.Key.Value == "name");
        if (entry.Key is null)
        {
            context.Error(mapping, $"{field}.name", $"{(what == "action" ? "An" : "A")} {what} needs a 'name'.");
            return null;
        }
        var name = context.String(entry.Value, $"{field}.name");
        if (name is null)
        {
            if (entry.Value is SpecScalar)
            {
                context.Error(entry.Value, $"{field}.name", $"The {what}'s 'name' is empty.");
            }
            return null;
        }
        if (!PipelineFileReader.IsValidName(name))
        {
            context.Error(entry.Value, $"{field}.name", $"The {what} name '{name}' is invalid: use 1-100 letters, digits, '.', '@', '_' or '-'.");
        }
        else if (!seen.Add(name))
        {
            context.Error(entry.Value, $"{field}.name", what == "stage"
                ? $"Stage '{name}' is declared twice; stage names must be unique in a pipeline."
                : $"Action '{name}' is declared twice in this stage; action names must be unique in a stage.");
        }
        return name;
    }

    private static PipelineActionCategory? ReadCategory(ParseContext context, SpecNode node, string field)
    {
        var text = context.String(node, field);
        if (text is null)
        {
            if (node is SpecScalar)
            {
                context.Error(node, field, "'category' is empty; use source, build, test, deploy, approval or invoke.");
            }
            return null;
        }
        var category = Enum.GetValues<PipelineActionCategory>().Cast<PipelineActionCategory?>()
            .FirstOrDefault(c => c.ToString()!.Equals(text, StringComparison.OrdinalIgnoreCase) && text == text.ToLowerInvariant());
        if (category is null)
        {
            var known = Enum.GetNames<PipelineActionCategory>().Select(n => n.ToLowerInvariant()).ToArray();
            var suggestion = KeySuggestion.Closest(text, known);
            context.Error(node, field, suggestion is null
                ? $"Unknown category '{text}'; use one of: {string.Join(", ", known)}."
                : $"Unknown category '{text}'; did you mean '{suggestion}'?");
        }
        return category;
    }

    private static List<(string Name, SpecNode At)> ReadArtifactNames(ParseContext context, SpecNode node, string field)
    {
        var names = new List<(string, SpecNode)>();
        if (node is SpecScalar { IsNull: true })
        {
            return names;
        }
        if (node is not SpecSequence sequence)
        {
            context.Error(node, field, node is SpecScalar
                ? "Expected a list of artifact names, found a string; write it as '[Name]'."
                : $"Expected a list of artifact names, found {node.Describe()}.");
            return names;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var item = sequence.Items[i];
            var name = context.String(item, $"{field}[{i}]");
            if (name is null)
            {
                continue;
            }
            if (!PipelineFileReader.IsValidArtifactName(name))
            {
                context.Error(item, $"{field}[{i}]", $"Artifact name '{name}' is invalid: use 1-100 letters, digits, '_' or '-'.");
            }
            else if (!seen.Add(name))
            {
                context.Error(item, $"{field}[{i}]", $"Artifact '{name}' is listed twice.");
            }
            else
            {
                names.Add((name, item));
            }
        }
        return names;
    }
}
