namespace BuildFarm.Core.Definitions.Parsing;

/// <summary>The outcome of parsing: a spec when there are no errors, and every warning and error found.</summary>
public sealed record BuildSpecParseResult(BuildSpec? Spec, IReadOnlyList<DefinitionDiagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.Severity == DefinitionSeverity.Error);

    public BuildSpec GetSpecOrThrow() =>
        HasErrors || Spec is null ? throw new DefinitionInvalidException(Diagnostics) : Spec;
}
