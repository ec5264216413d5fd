namespace BuildFarm.Core.Definitions.Parsing;

/// <summary>What every definition parser does before reading its own keys: bound the size, drop a BOM, refuse conflict markers, build the tree.</summary>
internal static class DefinitionText
{
    private const char ByteOrderMark = '\uFEFF';

    /// <summary>The file's root node, or false when the file could not be read as YAML at all (reported).</summary>
    public static bool TryReadRoot(string text, ParseContext context, int maxLength, string kind, out SpecNode? root)
    {
        root = null;
        if (text.Length > maxLength)
        {
            context.Error(1, 1, "", $"The file is {text.Length} characters long; {kind} may have at most {maxLength}.");
            return false;
        }
        if (text.Length > 0 && text[0] == ByteOrderMark)
        {
            text = text[1..];
        }
        return !ConflictMarkerScanner.Report(text, context) && SpecTreeBuilder.TryBuild(text, context, out root);
    }

    /// <summary>Diagnostics by position; OrderBy is stable, so two findings at one position keep the order they were found in.</summary>
    public static IReadOnlyList<DefinitionDiagnostic> InFileOrder(List<DefinitionDiagnostic> diagnostics) =>
        diagnostics.Count < 2 ? diagnostics : [.. diagnostics.OrderBy(d => d.Line).ThenBy(d => d.Column)];
}
