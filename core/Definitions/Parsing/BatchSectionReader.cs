using System.Text;
using System.Text.RegularExpressions;

namespace BuildFarm.Core.Definitions.Parsing;

/// <summary>
/// Reads <c>batch</c> into a <see cref="BuildSpecBatch"/>: the member builds of a build-list or build-graph as written,
/// a build-matrix expanded into the cartesian product of its dynamic values. Refuses what CodeBuild refuses when it
/// starts the batch (identifiers that are missing, repeated or not letters, digits and underscores; more than one batch
/// type; more than 100 builds) and what would never finish (a depend-on naming no build, a cycle), each at its line and column.
/// </summary>
internal static partial class BatchSectionReader
{
    private static readonly string[] Keys = ["fast-fail", "build-list", "build-graph", "build-matrix", "build-fanout"];
    private static readonly string[] ListTaskKeys = ["identifier", "buildspec", "debug-session", "env", "ignore-failure"];
    private static readonly string[] GraphTaskKeys = [.. ListTaskKeys, "depend-on"];
    private static readonly string[] MatrixKeys = ["static", "dynamic"];
    private static readonly string[] MatrixStaticKeys = ["ignore-failure", "env"];
    private static readonly string[] MatrixDynamicKeys = ["buildspec", "env"];
    private static readonly string[] FanoutKeys = ["parallelism", "ignore-failure"];
    private static readonly string[] EnvKeys = ["variables", "compute-type", "fleet", "image", "privileged-mode", "type"];

    // Each part of a generated matrix identifier is cut to this, so that a long image name cannot crowd out the rest.
    private const int MaxIdentifierPart = 40;
    private const int MaxIdentifier = 127;

    /// <summary>
    /// The batch, or null when the section asks for no batch: absent builds, only <c>fast-fail</c>, or a build-fanout
    /// (test splitting, not run as a batch here: a warning says so). Errors are reported and leave a partial model,
    /// which the parser drops with the rest of the spec.
    /// </summary>
    public static BuildSpecBatch? Read(ParseContext context, SpecNode value)
    {
        var mapping = context.Mapping(value, "batch");
        if (mapping is null)
        {
            return null;
        }
        var errorsBefore = context.ErrorCount;
        var fastFail = false;
        SpecScalar? typeKey = null;
        BatchKind? kind = null;
        List<BatchBuild> builds = [];
        foreach (var (key, node) in mapping.Entries)
        {
            // A second type is refused, and still read, so that its own mistakes are reported in the same pass.
            var first = true;
            if (key.Value is "build-list" or "build-graph" or "build-matrix" or "build-fanout")
            {
                if (typeKey is not null)
                {
                    context.Error(key, $"batch.{key.Value}",
                        $"A batch has one type, and '{typeKey.Value}' (line {typeKey.Line}) is already here; CodeBuild takes build-list, build-graph, build-matrix or build-fanout, not several.");
                    first = false;
                }
                typeKey ??= key;
            }
            List<BatchBuild>? read = null;
            switch (key.Value)
            {
                case "fast-fail":
                    fastFail = context.Bool(node, "batch.fast-fail");
                    break;
                case "build-list":
                    read = ReadTasks(context, node, "batch.build-list", ListTaskKeys);
                    break;
                case "build-graph":
                    read = ReadTasks(context, node, "batch.build-graph", GraphTaskKeys);
                    break;
                case "build-matrix":
                    read = ReadMatrix(context, key, node);
                    break;
                case "build-fanout":
                    ReadSettings(context, node, "batch.build-fanout", FanoutKeys);
                    context.Warning(key, "batch.build-fanout",
                        "build-fanout (test splitting) is not run as a batch by this farm: the buildspec runs as one build. build-list, build-graph and build-matrix run as batches.");
                    break;
                default:
                    context.UnknownKey(key, "batch", Keys);
                    break;
            }
            if (read is not null && first)
            {
                (kind, builds) = (BuildSpecBatch.FromKey(key.Value), read);
            }
        }

        if (kind is null || typeKey is null)
        {
            return null;
        }
        if (builds.Count == 0)
        {
            if (context.ErrorCount > errorsBefore)
            {
                return null;
            }
            context.Warning(typeKey, $"batch.{typeKey.Value}", $"'{typeKey.Value}' lists no builds, so there is no batch: the buildspec runs as one build.");
            return null;
        }
        if (builds.Count > BuildSpecBatch.MaxBuilds)
        {
            context.Error(typeKey, $"batch.{typeKey.Value}",
                $"'{typeKey.Value}' makes {builds.Count} builds; a batch may have at most {BuildSpecBatch.MaxBuilds}.");
        }
        return new BuildSpecBatch(kind.Value, fastFail, builds);
    }

    private sealed record TaskEntry(int Index, BatchBuild Build, SpecNode At, SpecNode? IdentifierAt, List<(string Name, SpecNode At)> DependOn);

    private static List<BatchBuild> ReadTasks(ParseContext context, SpecNode value, string field, string[] keys)
    {
        if (value is not SpecSequence items)
        {
            if (!ParseContext.IsEmpty(value))
            {
                context.Error(value, field, $"Expected a list of tasks, found {value.Describe()}.");
            }
            return [];
        }
        var tasks = new List<TaskEntry>(items.Items.Count);
        for (var i = 0; i < items.Items.Count; i++)
        {
            if (ReadTask(context, items.Items[i], i, $"{field}[{i}]", keys, field) is { } task)
            {
                tasks.Add(task);
            }
        }

        // Identifiers are checked across the whole list first, so the graph checks below can trust them.
        var byIdentifier = new Dictionary<string, TaskEntry>(StringComparer.Ordinal);
        foreach (var task in tasks)
        {
            if (task.IdentifierAt is null || task.Build.Identifier.Length == 0)
            {
                continue;
            }
            if (byIdentifier.TryGetValue(task.Build.Identifier, out var first))
            {
                context.Error(task.IdentifierAt, $"{field}[{task.Index}].identifier",
                    $"Identifier '{task.Build.Identifier}' is already used by the build at line {first.At.Line}; every build of a batch needs its own.");
            }
            else
            {
                byIdentifier[task.Build.Identifier] = task;
            }
        }
        if (keys == GraphTaskKeys && tasks.Count <= BuildSpecBatch.MaxBuilds)
        {
            CheckGraph(context, field, tasks, byIdentifier);
        }
        return [.. tasks.Select(t => t.Build)];
    }

    private static TaskEntry? ReadTask(ParseContext context, SpecNode value, int index, string taskField, string[] keys, string listField)
    {
        var mapping = context.Mapping(value, taskField);
        if (mapping is null)
        {
            return null;
        }
        var build = new BatchBuild("");
        SpecNode? identifierAt = null;
        var dependOn = new List<(string, SpecNode)>();
        foreach (var (key, node) in mapping.Entries)
        {
            var keyField = $"{taskField}.{key.Value}";
            switch (Array.IndexOf(keys, key.Value) < 0 ? null : key.Value)
            {
                case "identifier":
                    identifierAt = node;
                    var identifier = context.String(node, keyField);
                    if (identifier is not null && !IdentifierPattern().IsMatch(identifier))
                    {
                        context.Error(node, keyField,
                            $"Identifier '{identifier}' must be 1 to {MaxIdentifier} letters, digits or underscores, as CodeBuild requires (it names the build and CODEBUILD_BATCH_BUILD_IDENTIFIER).");
                    }
                    build = build with { Identifier = identifier ?? "" };
                    break;
                case "buildspec":
                    build = build with { BuildSpec = ReadBuildSpec(context, node, keyField) };
                    break;
                case "debug-session":
                    build = build with { DebugSession = context.Bool(node, keyField) };
                    break;
                case "ignore-failure":
                    build = build with { IgnoreFailure = context.Bool(node, keyField) };
                    break;
                case "depend-on":
                    dependOn.AddRange(ReadDependOn(context, node, keyField));
                    break;
                case "env":
                    var (variables, environment) = ReadEnv(context, node, keyField);
                    build = build with { Variables = variables, Environment = environment };
                    break;
                default:
                    context.UnknownKey(key, taskField, keys);
                    break;
            }
        }
        if (identifierAt is null)
        {
            context.Error(mapping, $"{taskField}.identifier", $"Every task in '{listField}' needs an 'identifier'.");
        }
        build = build with { DependOn = [.. dependOn.Select(d => d.Item1).Distinct(StringComparer.Ordinal)] };
        return new TaskEntry(index, build, mapping, identifierAt, dependOn);
    }

    private static IEnumerable<(string, SpecNode)> ReadDependOn(ParseContext context, SpecNode node, string field)
    {
        if (node is not SpecSequence sequence)
        {
            // Reports the shape (a string where a list belongs, …); YAML null is no dependencies.
            context.StringList(node, field);
            yield break;
        }
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            if (sequence.Items[i] is SpecScalar { IsNull: false } scalar)
            {
                yield return (scalar.Value, scalar);
            }
            else
            {
                context.Error(sequence.Items[i], $"{field}[{i}]", $"Expected an identifier, found {sequence.Items[i].Describe()}.");
            }
        }
    }

    /// <summary>Unknown dependencies and cycles, each reported at the <c>depend-on</c> entry that makes it.</summary>
    private static void CheckGraph(ParseContext context, string field, List<TaskEntry> tasks, Dictionary<string, TaskEntry> byIdentifier)
    {
        foreach (var task in tasks)
        {
            foreach (var (name, at) in task.DependOn)
            {
                if (!byIdentifier.ContainsKey(name))
                {
                    var known = string.Join(", ", byIdentifier.Keys.Where(k => k != task.Build.Identifier));
                    context.Error(at, $"{field}[{task.Index}].depend-on",
                        $"depend-on names '{name}', which is no build of this graph{(known.Length == 0 ? "" : $" (builds: {known})")}.");
                }
            }
        }

        // Depth-first in file order: a dependency found on the current path closes a cycle.
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var path = new List<string>();
        foreach (var task in tasks)
        {
            Visit(task);
        }

        void Visit(TaskEntry task)
        {
            var id = task.Build.Identifier;
            if (id.Length == 0 || state.GetValueOrDefault(id) != 0 || byIdentifier[id] != task)
            {
                return;
            }
            state[id] = 1;
            path.Add(id);
            foreach (var (name, at) in task.DependOn)
            {
                if (!byIdentifier.TryGetValue(name, out var dependency))
                {
                    continue;
                }
                if (state.GetValueOrDefault(name) == 1)
                {
                    var cycle = path.Skip(path.IndexOf(name)).Append(name);
                    context.Error(at, $"{field}[{task.Index}].depend-on",
                        $"depend-on '{name}' makes a cycle: {string.Join(" → ", cycle)} (each waits for the next), so none of them could start; a build graph must have no cycles.");
                    continue;
                }
                Visit(dependency);
            }
            path.RemoveAt(path.Count - 1);
            state[id] = 2;
        }
    }

    private static List<BatchBuild> ReadMatrix(ParseContext context, SpecScalar matrixKey, SpecNode value)
    {
        var mapping = context.Mapping(value, "batch.build-matrix");
        if (mapping is null)
        {
            return [];
        }
        var ignoreFailure = false;
        IReadOnlyDictionary<string, string> staticVariables = new Dictionary<string, string>();
        IReadOnlyDictionary<string, string> staticEnvironment = new Dictionary<string, string>();
        List<BatchBuildSpecOverride> buildspecs = [];
        List<Dimension> dimensions = [];
        foreach (var (key, node) in mapping.Entries)
        {
            switch (key.Value)
            {
                case "static":
                    var settings = context.Mapping(node, "batch.build-matrix.static");
                    foreach (var (staticKey, staticNode) in settings?.Entries ?? [])
                    {
                        switch (staticKey.Value)
                        {
                            case "ignore-failure":
                                ignoreFailure = context.Bool(staticNode, "batch.build-matrix.static.ignore-failure");
                                break;
                            case "env":
                                (staticVariables, staticEnvironment) = ReadEnv(context, staticNode, "batch.build-matrix.static.env");
                                break;
                            default:
                                context.UnknownKey(staticKey, "batch.build-matrix.static", MatrixStaticKeys);
                                break;
                        }
                    }
                    break;
                case "dynamic":
                    (buildspecs, dimensions) = ReadDynamic(context, node);
                    break;
                default:
                    context.UnknownKey(key, "batch.build-matrix", MatrixKeys);
                    break;
            }
        }

        // Counted before anything is built, so a hostile matrix costs nothing.
        var count = (long)Math.Max(1, buildspecs.Count);
        foreach (var dimension in dimensions)
        {
            count = Math.Min(count * dimension.Values.Count, int.MaxValue);
        }
        if (count > BuildSpecBatch.MaxBuilds)
        {
            context.Error(matrixKey, "batch.build-matrix",
                $"'build-matrix' makes {count} builds ({Describe(buildspecs, dimensions)}); a batch may have at most {BuildSpecBatch.MaxBuilds}.");
            return [];
        }
        if (count == 0)
        {
            return [];
        }
        return Expand(ignoreFailure, staticVariables, staticEnvironment, buildspecs, dimensions);
    }

    /// <summary>One dynamic value list: an <c>env.variables</c> entry, or another env setting (image, compute-type, …).</summary>
    private sealed record Dimension(string Name, bool IsVariable, IReadOnlyList<string> Values);

    private static (List<BatchBuildSpecOverride>, List<Dimension>) ReadDynamic(ParseContext context, SpecNode node)
    {
        const string Field = "batch.build-matrix.dynamic";
        List<BatchBuildSpecOverride> buildspecs = [];
        List<Dimension> dimensions = [];
        var mapping = context.Mapping(node, Field);
        foreach (var (key, value) in mapping?.Entries ?? [])
        {
            switch (key.Value)
            {
                case "buildspec":
                    if (value is SpecSequence paths)
                    {
                        for (var i = 0; i < paths.Items.Count; i++)
                        {
                            if (ReadBuildSpec(context, paths.Items[i], $"{Field}.buildspec[{i}]") is { } buildspec)
                            {
                                buildspecs.Add(buildspec);
                            }
                        }
                    }
                    else if (ReadBuildSpec(context, value, $"{Field}.buildspec") is { } single)
                    {
                        buildspecs.Add(single);
                    }
                    break;
                case "env":
                    var env = context.Mapping(value, $"{Field}.env");
                    foreach (var (envKey, envValue) in env?.Entries ?? [])
                    {
                        var envField = $"{Field}.env.{envKey.Value}";
                        switch (envKey.Value)
                        {
                            case "variables":
                                var variables = context.Mapping(envValue, envField);
                                foreach (var (name, values) in variables?.Entries ?? [])
                                {
                                    dimensions.Add(new Dimension(name.Value, true, ReadValues(context, values, $"{envField}.{name.Value}")));
                                }
                                break;
                            case "compute-type" or "fleet" or "image" or "privileged-mode" or "type":
                                dimensions.Add(new Dimension(envKey.Value, false, ReadValues(context, envValue, envField)));
                                break;
                            default:
                                context.UnknownKey(envKey, $"{Field}.env", EnvKeys, DefinitionSeverity.Warning);
                                break;
                        }
                    }
                    break;
                default:
                    context.UnknownKey(key, Field, MatrixDynamicKeys);
                    break;
            }
        }
        return (buildspecs, dimensions);
    }

    /// <summary>A dynamic value list; a single value is a list of one.</summary>
    private static IReadOnlyList<string> ReadValues(ParseContext context, SpecNode node, string field)
    {
        IReadOnlyList<string> values = node is SpecScalar { IsNull: false } scalar ? [scalar.Value] : context.StringList(node, field);
        if (values.Count == 0 && node is SpecSequence or SpecScalar { IsNull: true })
        {
            context.Error(node, field, "A dynamic matrix value needs at least one value; every combination takes one of them.");
        }
        return values;
    }

    /// <summary>
    /// The cartesian product, the buildspec list outermost and the last env entry varying fastest. Identifiers are
    /// made of what tells a combination apart (dimensions with more than one value): <c>NODE_20_image_a</c>.
    /// </summary>
    private static List<BatchBuild> Expand(
        bool ignoreFailure,
        IReadOnlyDictionary<string, string> staticVariables,
        IReadOnlyDictionary<string, string> staticEnvironment,
        List<BatchBuildSpecOverride> buildspecs,
        List<Dimension> dimensions)
    {
        var builds = new List<BatchBuild>();
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var specs = buildspecs.Count == 0 ? [null] : buildspecs.Cast<BatchBuildSpecOverride?>().ToList();
        var choice = new int[dimensions.Count];
        for (var s = 0; s < specs.Count; s++)
        {
            Array.Clear(choice);
            while (true)
            {
                var variables = new Dictionary<string, string>(staticVariables, StringComparer.Ordinal);
                var environment = new Dictionary<string, string>(staticEnvironment, StringComparer.Ordinal);
                var parts = new List<string>();
                if (specs.Count > 1)
                {
                    parts.Add(Sanitize(specs[s]!.Path ?? $"inline{s + 1}"));
                }
                for (var d = 0; d < dimensions.Count; d++)
                {
                    var (name, isVariable, values) = dimensions[d];
                    var value = values[choice[d]];
                    (isVariable ? variables : environment)[name] = value;
                    if (values.Count > 1)
                    {
                        parts.Add(isVariable ? $"{Sanitize(name)}_{Sanitize(value)}" : Sanitize(value));
                    }
                }
                var identifier = Unique(parts.Count == 0 ? "matrix" : string.Join('_', parts), builds.Count + 1, taken);
                builds.Add(new BatchBuild(identifier)
                {
                    BuildSpec = specs[s],
                    Variables = variables,
                    Environment = environment,
                    IgnoreFailure = ignoreFailure,
                });

                // The next combination: an odometer over the dimensions, the last one turning fastest.
                var d2 = dimensions.Count - 1;
                while (d2 >= 0 && ++choice[d2] == dimensions[d2].Values.Count)
                {
                    choice[d2] = 0;
                    d2--;
                }
                if (d2 < 0)
                {
                    break;
                }
            }
        }
        return builds;
    }

    private static string Sanitize(string value)
    {
        var text = new StringBuilder(Math.Min(value.Length, MaxIdentifierPart));
        foreach (var c in value)
        {
            if (text.Length == MaxIdentifierPart)
            {
                break;
            }
            text.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }
        return text.ToString().Trim('_') is { Length: > 0 } trimmed ? trimmed : "x";
    }

    private static string Unique(string identifier, int position, HashSet<string> taken)
    {
        if (identifier.Length > MaxIdentifier)
        {
            identifier = identifier[..(MaxIdentifier - 8)];
        }
        var candidate = identifier;
        for (var n = 2; !taken.Add(candidate); n++)
        {
            candidate = $"{identifier}_{(n == 2 ? position : n)}";
        }
        return candidate;
    }

    private static string Describe(List<BatchBuildSpecOverride> buildspecs, List<Dimension> dimensions) =>
        string.Join(" × ", (buildspecs.Count > 0 ? [$"{buildspecs.Count} buildspecs"] : Array.Empty<string>())
            .Concat(dimensions.Select(d => $"{d.Values.Count} {d.Name}")));

    /// <summary>
    /// A task's <c>buildspec</c>. A value with a line break is the buildspec itself (CodeBuild accepts one inline, as the
    /// CDK writes it), checked here with its own diagnostics (its <c>batch</c>, if any, is ignored: a member runs one build);
    /// anything else is a path in the build's source.
    /// </summary>
    private static BatchBuildSpecOverride? ReadBuildSpec(ParseContext context, SpecNode node, string field)
    {
        var text = context.String(node, field);
        if (text is null)
        {
            return null;
        }
        if (!text.Contains('\n', StringComparison.Ordinal))
        {
            if (text.Trim().Length == 0)
            {
                context.Error(node, field, "The buildspec path is empty; leave 'buildspec' out to run the batch's own buildspec.");
                return null;
            }
            return new BatchBuildSpecOverride(text.Trim(), null, node.Line, node.Column, field);
        }
        var inline = BuildSpecParser.Parse(text, context.FileName, readBatch: false);
        foreach (var diagnostic in inline.Diagnostics)
        {
            var message = $"inline buildspec, its line {diagnostic.Line} column {diagnostic.Column}: {diagnostic.Message}";
            var inner = diagnostic.Field.Length == 0 ? field : $"{field}: {diagnostic.Field}";
            if (diagnostic.Severity == DefinitionSeverity.Error)
            {
                context.Error(node, inner, message);
            }
            else
            {
                context.Warning(node, inner, message);
            }
        }
        return new BatchBuildSpecOverride(null, text, node.Line, node.Column, field);
    }

    /// <summary>A task's <c>env</c>: its variables, and the settings this farm records without applying.</summary>
    private static (IReadOnlyDictionary<string, string> Variables, IReadOnlyDictionary<string, string> Environment) ReadEnv(
        ParseContext context, SpecNode node, string field)
    {
        IReadOnlyDictionary<string, string> variables = new Dictionary<string, string>();
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        var mapping = context.Mapping(node, field);
        foreach (var (key, value) in mapping?.Entries ?? [])
        {
            var keyField = $"{field}.{key.Value}";
            switch (key.Value)
            {
                case "variables":
                    variables = context.StringMap(value, keyField);
                    break;
                case "privileged-mode":
                    environment[key.Value] = context.Bool(value, keyField) ? "true" : "false";
                    break;
                case "compute-type" or "fleet" or "image" or "type":
                    if (context.String(value, keyField) is { } setting)
                    {
                        environment[key.Value] = setting;
                    }
                    break;
                default:
                    // AWS adds project settings here over time: not knowing one should not refuse the file.
                    context.UnknownKey(key, field, EnvKeys, DefinitionSeverity.Warning);
                    break;
            }
        }
        return (variables, environment);
    }

    /// <summary>Checks keys and simple shapes of a section this farm does not run (build-fanout).</summary>
    private static void ReadSettings(ParseContext context, SpecNode value, string field, string[] keys)
    {
        var mapping = context.Mapping(value, field);
        foreach (var (key, node) in mapping?.Entries ?? [])
        {
            var keyField = $"{field}.{key.Value}";
            switch (Array.IndexOf(keys, key.Value) < 0 ? null : key.Value)
            {
                case "parallelism":
                    context.String(node, keyField);
                    break;
                case "ignore-failure":
                    context.Bool(node, keyField);
                    break;
                default:
                    context.UnknownKey(key, field, keys);
                    break;
            }
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_]{1,127}$")]
    private static partial Regex IdentifierPattern();
}
