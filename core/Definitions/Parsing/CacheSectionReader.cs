namespace BuildFarm.Core.Definitions.Parsing;

/// <summary>Reads <c>cache</c>.</summary>
internal static class CacheSectionReader
{
    private static readonly string[] Keys = ["key", "fallback-keys", "action", "paths"];

    public static BuildSpecCache? Read(ParseContext context, SpecScalar sectionKey, SpecNode value)
    {
        var mapping = context.Mapping(value, "cache");
        if (mapping is null)
        {
            return null;
        }

        IReadOnlyList<string> paths = [];
        var pathsGiven = false;
        var cache = new BuildSpecCache([]);
        foreach (var (key, node) in mapping.Entries)
        {
            switch (key.Value)
            {
                case "paths":
                    paths = context.StringList(node, "cache.paths");
                    pathsGiven = !ParseContext.IsEmpty(node);
                    break;
                case "key":
                    cache = cache with { Key = context.String(node, "cache.key") };
                    break;
                case "fallback-keys":
                    cache = cache with { FallbackKeys = ReadFallbackKeys(context, node) };
                    break;
                case "action":
                    cache = cache with { Action = ReadAction(context, node) };
                    break;
                default:
                    context.UnknownKey(key, "cache", Keys);
                    break;
            }
        }

        if (!pathsGiven)
        {
            context.Error(sectionKey, "cache.paths", "'cache' has no 'paths'; list the directories to keep between builds.");
        }
        return paths.Count == 0 ? null : cache with { Paths = paths };
    }

    private static IReadOnlyList<string> ReadFallbackKeys(ParseContext context, SpecNode node)
    {
        var keys = context.StringList(node, "cache.fallback-keys");
        if (node is SpecSequence sequence && sequence.Items.Count > BuildSpecCache.MaxFallbackKeys)
        {
            context.Error(sequence.Items[BuildSpecCache.MaxFallbackKeys], "cache.fallback-keys",
                $"'cache.fallback-keys' has {sequence.Items.Count} keys; at most {BuildSpecCache.MaxFallbackKeys} are allowed.");
        }
        return keys;
    }

    private static BuildSpecCacheAction ReadAction(ParseContext context, SpecNode node)
    {
        switch (context.String(node, "cache.action"))
        {
            case null:
                return BuildSpecCacheAction.RestoreAndSave;
            case "restore":
                return BuildSpecCacheAction.Restore;
            case "save":
                return BuildSpecCacheAction.Save;
            case var other:
                context.Error(node, "cache.action", $"cache action '{other}' is not one of restore, save.");
                return BuildSpecCacheAction.RestoreAndSave;
        }
    }
}
