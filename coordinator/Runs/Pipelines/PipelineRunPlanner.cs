using BuildFarm.Coordinator.Persistence.Entities;
using BuildFarm.Core.Definitions;
using BuildFarm.Core.Definitions.Parsing;
using BuildFarm.Core.Definitions.Pipelines;
using BuildFarm.Core.Runs;

namespace BuildFarm.Coordinator.Runs.Pipelines;

/// <summary>Turns a stored pipeline file into a run's jobs: one per action, every one Waiting until the engine dispatches it.</summary>
public static class PipelineRunPlanner
{
    /// <summary>The stored version's pipeline file, or null when the version is a buildspec (one build job, as before).</summary>
    public static PipelineDefinition? Read(PipelineVersion version) =>
        DefinitionFileKinds.Detect(version.FileName, version.Definition) == DefinitionFileKind.Pipeline
            ? PipelineFileParser.Parse(version.Definition, version.FileName).GetDefinitionOrThrow()
            : null;

    public static void AddJobs(Run run, PipelineDefinition definition)
    {
        for (var stageIndex = 0; stageIndex < definition.Stages.Count; stageIndex++)
        {
            var stage = definition.Stages[stageIndex];
            foreach (var action in stage.Actions)
            {
                run.Jobs.Add(new Job
                {
                    Id = Guid.NewGuid(),
                    RunId = run.Id,
                    Name = action.Name,
                    StageName = stage.Name,
                    StageIndex = stageIndex,
                    RunOrder = action.RunOrder,
                    Category = action.Category.ToString().ToLowerInvariant(),
                    Status = RunStatus.Waiting,
                    AttemptId = Guid.NewGuid(),
                    Attempt = 1,
                });
            }
        }
    }

    /// <summary>Pipeline variables' defaults, then what the trigger passed (which wins).</summary>
    public static Dictionary<string, string> Variables(PipelineDefinition definition, IReadOnlyDictionary<string, string>? overrides)
    {
        var variables = definition.Variables.ToDictionary(v => v.Name, v => v.Default, StringComparer.Ordinal);
        foreach (var (name, value) in overrides ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }
        return variables;
    }
}
