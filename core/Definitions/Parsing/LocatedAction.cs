using BuildFarm.Core.Definitions.Pipelines;

namespace BuildFarm.Core.Definitions.Parsing;

/// <summary>An action as read, with where its artifact names were written, for the checks across stages.</summary>
internal sealed record LocatedAction(
    int StageIndex,
    PipelineAction Action,
    string Field,
    SpecMapping At,
    IReadOnlyList<(string Name, SpecNode At)> Inputs,
    IReadOnlyList<(string Name, SpecNode At)> Outputs);
