namespace BuildFarm.Core.Definitions;

/// <summary>
/// One problem found in a definition file, located by 1-based line and column. <see cref="Field"/> is the
/// dotted path of the offending key (<c>phases.build.commands[2]</c>), or empty when the problem is the
/// file as a whole (empty, invalid YAML at the top level, a merge-conflict marker).
/// </summary>
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
        $"{File}:{Line}:{Column}: {(Severity == DefinitionSeverity.Error ? "error" : "warning")}: {Message}"
        + (Field.Length == 0 ? "" : $" ({Field})");
}
