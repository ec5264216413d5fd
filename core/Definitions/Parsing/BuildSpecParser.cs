namespace BuildFarm.Core.Definitions.Parsing;

/// <summary>
/// Parses and validates a CodeBuild buildspec as CodeBuild reads it: YAML 1.1 scalars kept as their source
/// text, every key of the current syntax known. Never throws for bad input: every warning and error found
/// is returned, in file order.
/// </summary>
public static class BuildSpecParser
{
    /// <summary>
    /// Far above any real buildspec; bounds the time a hostile file can cost, since reading YAML is not
    /// free (about a microsecond per node).
    /// </summary>
    public const int MaxLength = 1024 * 1024;

    private const char ByteOrderMark = '\uFEFF';

    public static BuildSpecParseResult Parse(string text, string fileName) => Parse(text, fileName, readBatch: true);

    /// <summary>
    /// <paramref name="readBatch"/> false: the <c>batch</c> section is accepted and not read (<see cref="BuildSpec.BatchIgnored"/>
    /// says it was there), as a member build of a batch and a pipeline action, which run one build, ignore it. Inline
    /// member buildspecs are parsed so, which also bounds how deep they nest.
    /// </summary>
    public static BuildSpecParseResult Parse(string text, string fileName, bool readBatch)
    {
        var context = new ParseContext(fileName);
        var spec = Read(text, context, readBatch);
        return new BuildSpecParseResult(context.HasErrors ? null : spec, InFileOrder(context.Diagnostics));
    }

    private static BuildSpec? Read(string text, ParseContext context, bool readBatch)
    {
        if (text.Length > MaxLength)
        {
            context.Error(1, 1, "", $"The file is {text.Length} characters long; a buildspec may have at most {MaxLength}.");
            return null;
        }
        if (text.Length > 0 && text[0] == ByteOrderMark)
        {
            text = text[1..];
        }
        if (ConflictMarkerScanner.Report(text, context)
            || !SpecTreeBuilder.TryBuild(text, context, out var root))
        {
            return null;
        }

        switch (root)
        {
            case null or SpecScalar { IsNull: true }:
                context.Error(1, 1, "", "The file is empty; a buildspec needs at least 'version' and 'phases'.");
                return null;
            case SpecMapping mapping:
                return BuildSpecReader.Read(context, mapping, readBatch);
            default:
                context.Error(root, "",
                    $"A buildspec is a mapping of keys such as 'version' and 'phases', but this file holds {root.Describe()}.");
                return null;
        }
    }

    private static List<DefinitionDiagnostic> InFileOrder(List<DefinitionDiagnostic> diagnostics) =>
        diagnostics.Count < 2
            ? diagnostics
            // OrderBy is stable, so two findings at one position keep the order they were found in.
            : [.. diagnostics.OrderBy(d => d.Line).ThenBy(d => d.Column)];
}
