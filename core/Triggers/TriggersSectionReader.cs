using BuildFarm.Core.Definitions.Parsing;

namespace BuildFarm.Core.Triggers;

/// <summary>Reads a pipeline file's <c>triggers</c> section: GitHub push / pull request filters and a cron schedule.</summary>
internal static class TriggersSectionReader
{
    private static readonly string[] Keys = ["github", "schedule"];
    private static readonly string[] GitHubKeys = ["push", "pullRequest"];
    private static readonly string[] PushKeys = ["branches", "tags", "filePaths"];
    private static readonly string[] PullRequestKeys = ["branches", "events", "filePaths"];
    private static readonly string[] PatternKeys = ["include", "exclude"];

    public static PipelineTriggers? Read(ParseContext context, SpecScalar sectionKey, SpecNode value)
    {
        var mapping = context.Mapping(value, "triggers");
        if (mapping is null)
        {
            return null;
        }
        GitHubTriggers? gitHub = null;
        CronSchedule? schedule = null;
        foreach (var (key, node) in mapping.Entries)
        {
            switch (key.Value)
            {
                case "github":
                    gitHub = ReadGitHub(context, node);
                    break;
                case "schedule":
                    schedule = ReadSchedule(context, node);
                    break;
                default:
                    context.UnknownKey(key, "triggers", Keys);
                    break;
            }
        }
        if (mapping.Entries.Count == 0)
        {
            context.Warning(sectionKey, "triggers", "'triggers' is empty; every webhook delivery starts the pipeline.");
        }
        return new PipelineTriggers(gitHub, schedule);
    }

    private static CronSchedule? ReadSchedule(ParseContext context, SpecNode node)
    {
        if (context.String(node, "triggers.schedule") is not { } text)
        {
            return null;
        }
        var schedule = CronSchedule.TryParse(text, out var error);
        if (schedule is null)
        {
            context.Error(node, "triggers.schedule", $"'{text}' is not a valid cron schedule: {error}.");
        }
        return schedule;
    }

    private static GitHubTriggers? ReadGitHub(ParseContext context, SpecNode node)
    {
        var mapping = context.Mapping(node, "triggers.github");
        if (mapping is null)
        {
            return null;
        }
        IReadOnlyList<GitPushFilter> push = [];
        IReadOnlyList<GitPullRequestFilter> pullRequest = [];
        foreach (var (key, value) in mapping.Entries)
        {
            switch (key.Value)
            {
                case "push":
                    push = ReadFilters(context, value, "triggers.github.push", ReadPushFilter);
                    break;
                case "pullRequest":
                    pullRequest = ReadFilters(context, value, "triggers.github.pullRequest", ReadPullRequestFilter);
                    break;
                default:
                    context.UnknownKey(key, "triggers.github", GitHubKeys);
                    break;
            }
        }
        return new GitHubTriggers(push, pullRequest);
    }

    private static List<T> ReadFilters<T>(
        ParseContext context, SpecNode node, string field, Func<ParseContext, SpecMapping, string, T?> readOne)
        where T : class
    {
        var filters = new List<T>();
        if (node is SpecScalar { IsNull: true })
        {
            return filters;
        }
        if (node is not SpecSequence sequence)
        {
            context.Error(node, field, $"Expected a list of filters, found {node.Describe()}; write each filter as a list item ('- branches: …').");
            return filters;
        }
        if (sequence.Items.Count > GitHubTriggers.MaxFilters)
        {
            context.Error(sequence.Items[GitHubTriggers.MaxFilters], field,
                $"'{field}' has {sequence.Items.Count} filters; at most {GitHubTriggers.MaxFilters} are allowed.");
        }
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var itemField = $"{field}[{i}]";
            if (context.Mapping(sequence.Items[i], itemField) is { } mapping && readOne(context, mapping, itemField) is { } filter)
            {
                filters.Add(filter);
            }
        }
        return filters;
    }

    private static GitPushFilter? ReadPushFilter(ParseContext context, SpecMapping mapping, string field)
    {
        GitPatternFilter? branches = null, tags = null, filePaths = null;
        SpecScalar? filePathsKey = null;
        foreach (var (key, value) in mapping.Entries)
        {
            switch (key.Value)
            {
                case "branches":
                    branches = ReadPatterns(context, value, $"{field}.branches");
                    break;
                case "tags":
                    tags = ReadPatterns(context, value, $"{field}.tags");
                    break;
                case "filePaths":
                    filePaths = ReadPatterns(context, value, $"{field}.filePaths");
                    filePathsKey = key;
                    break;
                default:
                    context.UnknownKey(key, field, PushKeys);
                    break;
            }
        }
        if (branches is null && tags is null && filePaths is null)
        {
            context.Error(mapping, field, $"'{field}' filters nothing; give 'branches', 'tags' or 'filePaths'.");
            return null;
        }
        if (filePathsKey is not null && branches is null && tags is not null)
        {
            context.Warning(filePathsKey, $"{field}.filePaths",
                "'filePaths' is ignored for tag pushes; put it in a filter with 'branches'.");
        }
        return new GitPushFilter(branches, tags, filePaths);
    }

    private static GitPullRequestFilter? ReadPullRequestFilter(ParseContext context, SpecMapping mapping, string field)
    {
        GitPatternFilter? branches = null, filePaths = null;
        var events = GitPullRequestFilter.DefaultEvents;
        foreach (var (key, value) in mapping.Entries)
        {
            switch (key.Value)
            {
                case "branches":
                    branches = ReadPatterns(context, value, $"{field}.branches");
                    break;
                case "events":
                    events = ReadEvents(context, value, $"{field}.events");
                    break;
                case "filePaths":
                    filePaths = ReadPatterns(context, value, $"{field}.filePaths");
                    break;
                default:
                    context.UnknownKey(key, field, PullRequestKeys);
                    break;
            }
        }
        return new GitPullRequestFilter(branches, events, filePaths);
    }

    private static IReadOnlyList<PullRequestEventType> ReadEvents(ParseContext context, SpecNode node, string field)
    {
        var names = context.StringList(node, field);
        if (names.Count == 0)
        {
            return GitPullRequestFilter.DefaultEvents;
        }
        var events = new List<PullRequestEventType>(names.Count);
        for (var i = 0; i < names.Count; i++)
        {
            PullRequestEventType? type = names[i] switch
            {
                "OPEN" => PullRequestEventType.Open,
                "UPDATED" => PullRequestEventType.Updated,
                "CLOSED" => PullRequestEventType.Closed,
                _ => null,
            };
            if (type is { } known)
            {
                if (!events.Contains(known))
                {
                    events.Add(known);
                }
            }
            else
            {
                var at = node is SpecSequence sequence && i < sequence.Items.Count ? sequence.Items[i] : node;
                context.Error(at, $"{field}[{i}]", $"'{names[i]}' is not a pull request event; expected OPEN, UPDATED or CLOSED.");
            }
        }
        return events;
    }

    /// <summary><c>{ include: [...], exclude: [...] }</c>, or a bare list as shorthand for <c>include</c>.</summary>
    private static GitPatternFilter? ReadPatterns(ParseContext context, SpecNode node, string field)
    {
        if (node is SpecSequence)
        {
            return new GitPatternFilter(ReadPatternList(context, node, $"{field}.include"), []);
        }
        var mapping = context.Mapping(node, field);
        if (mapping is null)
        {
            return null;
        }
        IReadOnlyList<string> include = [], exclude = [];
        foreach (var (key, value) in mapping.Entries)
        {
            switch (key.Value)
            {
                case "include":
                    include = ReadPatternList(context, value, $"{field}.include");
                    break;
                case "exclude":
                    exclude = ReadPatternList(context, value, $"{field}.exclude");
                    break;
                default:
                    context.UnknownKey(key, field, PatternKeys);
                    break;
            }
        }
        return new GitPatternFilter(include, exclude);
    }

    private static IReadOnlyList<string> ReadPatternList(ParseContext context, SpecNode node, string field)
    {
        var patterns = context.StringList(node, field);
        if (node is not SpecSequence sequence)
        {
            return patterns;
        }
        if (sequence.Items.Count > GitPatternFilter.MaxPatterns)
        {
            context.Error(sequence.Items[GitPatternFilter.MaxPatterns], field,
                $"'{field}' has {sequence.Items.Count} patterns; at most {GitPatternFilter.MaxPatterns} are allowed.");
        }
        foreach (var item in sequence.Items)
        {
            if (item is SpecScalar { IsNull: false } scalar && GitFilterGlob.Validate(scalar.Value) is { } error)
            {
                context.Error(item, field, $"'{scalar.Value}' is not a valid pattern: {error}.");
            }
        }
        return patterns;
    }
}
