namespace BuildFarm.Core.Definitions.Parsing;

/// <summary>
/// Checks <c>batch</c>. BuildFarm runs one build per buildspec, so nothing here reaches the model; it is
/// checked anyway so a typo in a batch file is refused the same way a typo elsewhere is.
/// </summary>
internal static class BatchSectionReader
{
    private static readonly string[] Keys = ["fast-fail", "build-list", "build-graph", "build-matrix", "build-fanout"];
    private static readonly string[] ListTaskKeys = ["identifier", "buildspec", "debug-session", "env", "ignore-failure"];
    private static readonly string[] GraphTaskKeys = [.. ListTaskKeys, "depend-on"];
    private static readonly string[] MatrixKeys = ["static", "dynamic"];
    private static readonly string[] MatrixStaticKeys = ["ignore-failure", "env"];
    private static readonly string[] MatrixDynamicKeys = ["buildspec", "env"];
    private static readonly string[] FanoutKeys = ["parallelism", "ignore-failure"];

    public static void Read(ParseContext context, SpecNode value)
    {
        var mapping = context.Mapping(value, "batch");
        if (mapping is null)
        {
            return;
        }
        foreach (var (key, node) in mapping.Entries)
        {
            switch (key.Value)
            {
                case "fast-fail":
                    context.Bool(node, "batch.fast-fail");
                    break;
                case "build-list":
                    ReadTasks(context, node, "batch.build-list", ListTaskKeys);
                    break;
                case "build-graph":
                    ReadTasks(context, node, "batch.build-graph", GraphTaskKeys);
                    break;
                case "build-matrix":
                    ReadMatrix(context, node);
                    break;
                case "build-fanout":
                    ReadSettings(context, node, "batch.build-fanout", FanoutKeys);
                    break;
                default:
                    context.UnknownKey(key, "batch", Keys);
                    break;
            }
        }
    }

    private static void ReadTasks(ParseContext context, SpecNode value, string field, string[] keys)
    {
        if (value is not SpecSequence tasks)
        {
            if (!ParseContext.IsEmpty(value))
            {
                context.Error(value, field, $"Expected a list of tasks, found {value.Describe()}.");
            }
            return;
        }
        for (var i = 0; i < tasks.Items.Count; i++)
        {
            var taskField = $"{field}[{i}]";
            var task = context.Mapping(tasks.Items[i], taskField);
            if (task is null)
            {
                continue;
            }
            ReadSettings(context, task, taskField, keys);
            if (task.FindKey("identifier") is null)
            {
                context.Error(task, $"{taskField}.identifier", $"Every task in '{field}' needs an 'identifier'.");
            }
        }
    }

    private static void ReadMatrix(ParseContext context, SpecNode value)
    {
        var mapping = context.Mapping(value, "batch.build-matrix");
        if (mapping is null)
        {
            return;
        }
        foreach (var (key, node) in mapping.Entries)
        {
            switch (key.Value)
            {
                case "static":
                    ReadSettings(context, node, "batch.build-matrix.static", MatrixStaticKeys);
                    break;
                case "dynamic":
                    ReadSettings(context, node, "batch.build-matrix.dynamic", MatrixDynamicKeys);
                    break;
                default:
                    context.UnknownKey(key, "batch.build-matrix", MatrixKeys);
                    break;
            }
        }
    }

    /// <summary>
    /// Checks keys and simple shapes. A task's <c>env</c> overrides project settings (image, compute type,
    /// fleet, …) that AWS extends over time, so only its being a mapping is checked.
    /// </summary>
    private static void ReadSettings(ParseContext context, SpecNode value, string field, string[] keys)
    {
        var mapping = context.Mapping(value, field);
        if (mapping is null)
        {
            return;
        }
        foreach (var (key, node) in mapping.Entries)
        {
            var keyField = $"{field}.{key.Value}";
            switch (Array.IndexOf(keys, key.Value) < 0 ? null : key.Value)
            {
                case "identifier" or "parallelism":
                    context.String(node, keyField);
                    break;
                case "debug-session" or "ignore-failure":
                    context.Bool(node, keyField);
                    break;
                case "depend-on":
                    context.StringList(node, keyField);
                    break;
                case "buildspec":
                    // A single path in build-list and build-graph, a list of paths in a dynamic matrix.
                    if (node is SpecSequence)
                    {
                        context.StringList(node, keyField);
                    }
                    else
                    {
                        context.String(node, keyField);
                    }
                    break;
                case "env":
                    context.Mapping(node, keyField);
                    break;
                default:
                    context.UnknownKey(key, field, keys);
                    break;
            }
        }
    }
}
