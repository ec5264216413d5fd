using BuildFarm.Core.Definitions;
using BuildFarm.Core.Definitions.Parsing;
using BuildFarm.Core.Definitions.Pipelines;
using BuildFarm.Coordinator.Persistence.Entities;

namespace BuildFarm.Coordinator.Api.Models;

/// <summary>
/// A pipeline version's shape, as the coordinator's parsers read it: stages left to right, each one's actions.
/// A buildspec is one stage <c>build</c> with one action <c>build</c> (the run's one job) and its phases.
/// </summary>
public sealed record PipelineStagesResponse(string Name, int Version, string Kind, IReadOnlyList<PipelineStageResponse> Stages)
{
    public const string BuildSpecKind = "buildspec";
    public const string PipelineKind = "pipeline";

    public static PipelineStagesResponse From(Pipeline pipeline, PipelineVersion version)
    {
        if (DefinitionFileKinds.Detect(version.FileName, version.Definition) == DefinitionFileKind.Pipeline)
        {
            var definition = PipelineFileParser.Parse(version.Definition, version.FileName).GetDefinitionOrThrow();
            return new(pipeline.Name, version.Version, PipelineKind, definition.Stages.Select(PipelineStageResponse.From).ToList());
        }

        // Stored versions passed the parser when they were applied; the phases in the order CodeBuild runs them.
        var written = BuildSpecParser.Parse(version.Definition, version.FileName).Spec?.Phases.Select(p => p.Name).ToHashSet(StringComparer.Ordinal) ?? [];
        var phases = BuildSpec.PhaseOrder.Where(written.Contains).ToList();
        var build = new PipelineActionResponse("build", "build", 1, [], [], new Dictionary<string, string>(), phases);
        return new(pipeline.Name, version.Version, BuildSpecKind, [new PipelineStageResponse("build", [build])]);
    }
}

public sealed record PipelineStageResponse(string Name, IReadOnlyList<PipelineActionResponse> Actions)
{
    public static PipelineStageResponse From(PipelineStage stage) => new(stage.Name, stage.Actions.Select(PipelineActionResponse.From).ToList());
}

/// <summary>One action: its category, run order, artifacts and configuration as written (no secret values: those stay in the secret store).</summary>
public sealed record PipelineActionResponse(
    string Name,
    string Category,
    int RunOrder,
    IReadOnlyList<string> InputArtifacts,
    IReadOnlyList<string> OutputArtifacts,
    IReadOnlyDictionary<string, string> Configuration,
    IReadOnlyList<string>? Phases = null)
{
    public static PipelineActionResponse From(PipelineAction action) => new(
        action.Name,
        action.Category.ToString().ToLowerInvariant(),
        action.RunOrder,
        action.InputArtifacts,
        action.OutputArtifacts,
        action.Configuration);
}
