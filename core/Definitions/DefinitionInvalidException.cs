namespace BuildFarm.Core.Definitions;

/// <summary>A definition was refused; carries every diagnostic so callers can show them all at once.</summary>
public sealed class DefinitionInvalidException : Exception
{
    public DefinitionInvalidException(IReadOnlyList<DefinitionDiagnostic> diagnostics)
        : base(Describe(diagnostics))
    {
        Diagnostics = diagnostics;
    }

    public IReadOnlyList<DefinitionDiagnostic> Diagnostics { get; }

    private static string Describe(IReadOnlyList<DefinitionDiagnostic> diagnostics)
    {
        var errors = diagnostics.Where(d => d.Severity == DefinitionSeverity.Error).ToList();
        return errors.Count switch
        {
            0 => "The definition is invalid.",
            1 => errors[0].ToString(),
            _ => $"{errors[0]} (and {errors.Count - 1} more error(s))",
        };
    }
}
