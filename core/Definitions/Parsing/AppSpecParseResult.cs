namespace BuildFarm.Core.Definitions.Parsing;

/// <summary>The outcome of parsing an appspec: the spec when there are no errors, and every warning and error found.</summary>
public sealed record AppSpecParseResult(AppSpec? Spec, IReadOnlyList<DefinitionDiagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.Severity == DefinitionSeverity.Error);

    public AppSpec GetSpecOrThrow() =>
        HasErrors || Spec is null ? throw new DefinitionInvalidException(Diagnostics) : Spec;
}
