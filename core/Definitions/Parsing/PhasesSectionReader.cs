namespace BuildFarm.Core.Definitions.Parsing;

/// <summary>Reads <c>phases</c> and returns them in the order CodeBuild runs them, whatever the file order.</summary>
internal static class PhasesSectionReader
{
    private static readonly string[] PhaseNames = [.. BuildSpec.PhaseOrder];

    private static readonly string[] Keys = ["run-as", "on-failure", "runtime-versions", "commands", "finally"];

    public static IReadOnlyList<BuildPhase> Read(ParseContext context, SpecScalar sectionKey, SpecNode value)
    {
        var mapping = context.Mapping(value, "phases");
        if (mapping is null)
        {
            return [];
        }
        if (mapping.Entries.Count == 0)
        {
            context.Error(sectionKey, "phases", "'phases' has no phase; add at least 'build' with its commands.");
            return [];
        }

        var byOrder = new BuildPhase?[PhaseNames.Length];
        foreach (var (key, node) in mapping.Entries)
        {
            var index = Array.IndexOf(PhaseNames, key.Value);
            if (index < 0)
            {
                var suggestion = KeySuggestion.Closest(key.Value, PhaseNames);
                context.Error(key, $"phases.{key.Value}",
                    $"Unknown phase '{key.Value}'; "
                    + (suggestion is null ? "" : $"did you mean '{suggestion}'? ")
                    + "The phases are install, pre_build, build and post_build.");
                continue;
            }
            byOrder[index] = ReadPhase(context, key, node);
        }

        var phases = new List<BuildPhase>(PhaseNames.Length);
        foreach (var phase in byOrder)
        {
            if (phase is not null)
            {
                phases.Add(phase);
            }
        }
        return phases;
    }

    private static BuildPhase? ReadPhase(ParseContext context, SpecScalar nameKey, SpecNode value)
    {
        var name = nameKey.Value;
        var field = $"phases.{name}";
        if (value is SpecSequence)
        {
            context.Error(value, field, $"Phase '{name}' is a list; put its shell commands under 'commands:'.");
            return null;
        }
        var mapping = context.Mapping(value, field);
        if (mapping is null)
        {
            return null;
        }

        IReadOnlyList<string> commands = [];
        IReadOnlyList<string> finallyCommands = [];
        IReadOnlyDictionary<string, string>? runtimes = null;
        string? onFailure = null;
        string? runAs = null;
        var sawSteps = false;
        // A wrongly shaped value still counts as given: it is reported already, and "no commands" on top is noise.
        var hasContent = false;
        foreach (var (key, node) in mapping.Entries)
        {
            switch (key.Value)
            {
                case "commands":
                    commands = context.StringList(node, $"{field}.commands");
                    hasContent |= !ParseContext.IsEmpty(node);
                    break;
                case "finally":
                    finallyCommands = context.StringList(node, $"{field}.finally");
                    hasContent |= !ParseContext.IsEmpty(node);
                    break;
                case "runtime-versions":
                    // An install phase that only selects runtimes is common and valid in CodeBuild.
                    runtimes = context.StringMap(node, $"{field}.runtime-versions");
                    hasContent |= !ParseContext.IsEmpty(node);
                    break;
                case "on-failure":
                    onFailure = context.String(node, $"{field}.on-failure");
                    if (onFailure is not null && OnFailurePolicy.Check(onFailure) is { } problem)
                    {
                        context.Error(node, $"{field}.on-failure", problem);
                    }
                    break;
                case "run-as":
                    runAs = context.String(node, $"{field}.run-as");
                    break;
                case "steps":
                    sawSteps = true;
                    context.Error(key, $"{field}.steps",
                        "'steps' is GitHub Actions syntax; a buildspec phase lists shell commands under 'commands'.");
                    break;
                default:
                    context.UnknownKey(key, field, Keys);
                    break;
            }
        }

        if (!hasContent && !sawSteps)
        {
            context.Error(nameKey, field, $"Phase '{name}' has neither commands nor finally.");
        }
        var phase = new BuildPhase(name, commands, finallyCommands, onFailure, runAs);
        return runtimes is null ? phase : phase with { RuntimeVersions = runtimes };
    }
}
