using BuildFarm.Core.Definitions.Pipelines;

namespace BuildFarm.Core.Definitions.Parsing;

/// <summary>The outcome of parsing a pipeline file: the definition when there are no errors, and every warning and error found.</summary>
public sealed record PipelineParseResult(PipelineDefinition? Definition, IReadOnlyList<DefinitionDiagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.Severity == DefinitionSeverity.Error);

    public PipelineDefinition GetDefinitionOrThrow() =>
        HasErrors || Definition is null ? throw new DefinitionInvalidException(Diagnostics) : Definition;
}
