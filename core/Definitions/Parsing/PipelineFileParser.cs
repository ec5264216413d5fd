namespace BuildFarm.Core.Definitions.Parsing;

/// <summary>
/// Parses and validates a pipeline file (stages → actions, artifacts between them) with the same YAML
/// reader as buildspecs, so every problem comes back as file:line:column with its field. Never throws for
/// bad input.
/// </summary>
public static class PipelineFileParser
{
    /// <summary>Far above any real pipeline file (50 stages × 50 actions); bounds what a hostile file can cost.</summary>
    public const int MaxLength = 1024 * 1024;

    public static PipelineParseResult Parse(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        var context = new ParseContext(fileName);
        var definition = Read(text, context);
        return new PipelineParseResult(context.HasErrors ? null : definition, DefinitionText.InFileOrder(context.Diagnostics));
    }

    private static Pipelines.PipelineDefinition? Read(string text, ParseContext context)
    {
        if (!DefinitionText.TryReadRoot(text, context, MaxLength, "a pipeline file", out var root))
        {
            return null;
        }

        switch (root)
        {
            case null or SpecScalar { IsNull: true }:
                context.Error(1, 1, "", "The file is empty; a pipeline file needs at least 'version: 1' and 'stages'.");
                return null;
            case SpecMapping mapping:
                return PipelineFileReader.Read(context, mapping);
            default:
                context.Error(root, "", $"A pipeline file is a mapping of keys such as 'version' and 'stages', but this file holds {root.Describe()}.");
                return null;
        }
    }
}
