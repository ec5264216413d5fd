namespace BuildFarm.Core.Definitions;

/// <summary>One problem found in a definition file, located by 1-based line and column.</summary>
public sealed record DefinitionDiagnostic(
    string File,
    int Line,
    int Column,
    string Field,
    DefinitionSeverity Severity,
    string Message)
{
    /// <summary><c>file:line:col: error|warning: message</c>, the form editors and CI understand.</summary>
    public override string ToString() =>
        $"{File}:{Line}:{Column}: {(Severity == DefinitionSeverity.Error ? "error" : "warning")}: {Message} ({Field})";
}
