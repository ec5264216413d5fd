using BuildFarm.Core.Definitions.Pipelines;

namespace BuildFarm.Core.Definitions.Parsing;

/// <summary>
/// Checks how artifacts move: each output name is produced once, each input was produced by an earlier stage
/// or an earlier run order of the same stage, and each category takes the artifacts it can use.
/// </summary>
internal static class PipelineArtifactFlow
{
    public static void Check(ParseContext context, IReadOnlyList<LocatedAction> actions)
    {
        var producers = new Dictionary<string, LocatedAction>(StringComparer.Ordinal);
        foreach (var action in actions)
        {
            CheckCounts(context, action);
            foreach (var (name, at) in action.Outputs)
            {
                if (!producers.TryAdd(name, action))
                {
                    var first = producers[name];
                    context.Error(at, $"{action.Field}.outputArtifacts", $"Artifact '{name}' is already the output of action '{first.Action.Name}' ({first.Field}); output artifact names must be unique in a pipeline.");
                }
            }
        }
        foreach (var action in actions)
        {
            foreach (var (name, at) in action.Inputs)
            {
                if (!producers.TryGetValue(name, out var producer))
                {
                    context.Error(at, $"{action.Field}.inputArtifacts", $"Input artifact '{name}' is not the output of any action.");
                }
                else if (producer.StageIndex > action.StageIndex
                    || (producer.StageIndex == action.StageIndex && producer.Action.RunOrder >= action.Action.RunOrder))
                {
                    context.Error(at, $"{action.Field}.inputArtifacts", $"Input artifact '{name}' is produced by action '{producer.Action.Name}' ({producer.Field}), which does not run before this one; an input must come from an earlier stage or a lower runOrder in the same stage.");
                }
            }
        }
    }

    private static void CheckCounts(ParseContext context, LocatedAction located)
    {
        var (minIn, maxIn, minOut, maxOut) = located.Action.Category switch
        {
            PipelineActionCategory.Source => (0, 0, 1, 1),
            PipelineActionCategory.Build or PipelineActionCategory.Test => (1, 5, 0, 1),
            PipelineActionCategory.Deploy => (1, 1, 0, 0),
            PipelineActionCategory.Approval => (0, 0, 0, 0),
            _ => (0, 5, 0, 1),
        };
        var category = located.Action.Category.ToString().ToLowerInvariant();
        Count(context, located, "inputArtifacts", located.Inputs.Count, minIn, maxIn, category);
        Count(context, located, "outputArtifacts", located.Outputs.Count, minOut, maxOut, category);
        if (located.Action.Category == PipelineActionCategory.Source && located.StageIndex != 0)
        {
            context.Error(located.At, $"{located.Field}.category", "A source action belongs in the first stage, where every execution starts.");
        }
    }

    internal static string Article(PipelineActionCategory category) =>
        category is PipelineActionCategory.Approval or PipelineActionCategory.Invoke ? "An" : "A";

    private static void Count(ParseContext context, LocatedAction located, string key, int count, int min, int max, string category)
    {
        if (count >= min && count <= max)
        {
            return;
        }
        var at = (SpecNode?)located.At.Entries.FirstOrDefault(e => e.Key.Value == key).Key ?? located.At;
        var allowed = (min, max) switch
        {
            (0, 0) => "no",
            _ when min == max => $"exactly {min}",
            (0, _) => $"at most {max}",
            _ => $"{min} to {max}",
        };
        context.Error(at, $"{located.Field}.{key}", $"{Article(located.Action.Category)} {category} action takes {allowed} {key} (found {count}).");
    }
}
