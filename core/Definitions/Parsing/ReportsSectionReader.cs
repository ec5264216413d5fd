namespace BuildFarm.Core.Definitions.Parsing;

/// <summary>Reads <c>reports</c>: report group name (or ARN) to the files it publishes.</summary>
internal static class ReportsSectionReader
{
    private static readonly string[] Keys = ["files", "base-directory", "discard-paths", "file-format"];

    public static IReadOnlyList<BuildSpecReportGroup> Read(ParseContext context, SpecNode value)
    {
        var mapping = context.Mapping(value, "reports");
        if (mapping is null || mapping.Entries.Count == 0)
        {
            return [];
        }

        var groups = new List<BuildSpecReportGroup>(mapping.Entries.Count);
        foreach (var (name, node) in mapping.Entries)
        {
            if (ReadGroup(context, name, node) is { } group)
            {
                groups.Add(group);
            }
        }
        return groups;
    }

    private static BuildSpecReportGroup? ReadGroup(ParseContext context, SpecScalar name, SpecNode value)
    {
        var field = $"reports.{name.Value}";
        var mapping = context.Mapping(value, field);
        if (mapping is null)
        {
            return null;
        }

        IReadOnlyList<string> files = [];
        var filesGiven = false;
        var group = new BuildSpecReportGroup(name.Value, []);
        foreach (var (key, node) in mapping.Entries)
        {
            switch (key.Value)
            {
                case "files":
                    files = context.StringList(node, $"{field}.files");
                    filesGiven = !ParseContext.IsEmpty(node);
                    break;
                case "base-directory":
                    group = group with { BaseDirectory = context.String(node, $"{field}.base-directory") };
                    break;
                case "discard-paths":
                    group = group with { DiscardPaths = context.Bool(node, $"{field}.discard-paths") };
                    break;
                case "file-format":
                    group = group with { FileFormat = context.String(node, $"{field}.file-format") };
                    break;
                default:
                    context.UnknownKey(key, field, Keys);
                    break;
            }
        }

        if (!filesGiven)
        {
            context.Error(name, $"{field}.files", $"Report group '{name.Value}' has no 'files'; list the report files.");
        }
        return files.Count == 0 ? null : group with { Files = files };
    }
}
