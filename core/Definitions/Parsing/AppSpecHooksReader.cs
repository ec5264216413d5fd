using System.Globalization;

namespace BuildFarm.Core.Definitions.Parsing;

/// <summary>Reads an EC2/on-premises appspec's <c>hooks</c>: event → list of { location, timeout, runas }.</summary>
internal static class AppSpecHooksReader
{
    private static readonly string[] HookKeys = ["location", "timeout", "runas"];

    public static IReadOnlyDictionary<string, IReadOnlyList<AppSpecHook>> Read(ParseContext context, SpecNode node)
    {
        var hooks = new Dictionary<string, IReadOnlyList<AppSpecHook>>(StringComparer.Ordinal);
        var mapping = context.Mapping(node, "hooks");
        if (mapping is null)
        {
            return hooks;
        }
        string[] known = [.. AppSpecLifecycle.Scriptable, .. AppSpecLifecycle.TrafficEvents];
        foreach (var (key, value) in mapping.Entries)
        {
            var field = $"hooks.{key.Value}";
            if (AppSpecLifecycle.Reserved.Contains(key.Value))
            {
                context.Error(key, field, $"'{key.Value}' is run by the deployment agent itself and cannot have scripts; use BeforeInstall or AfterInstall.");
                continue;
            }
            if (!known.Contains(key.Value))
            {
                context.UnknownKey(key, "hooks", known);
                continue;
            }
            if (AppSpecLifecycle.TrafficEvents.Contains(key.Value))
            {
                context.Warning(key, field, $"'{key.Value}' runs only behind a load balancer, which the farm does not manage; its scripts never run.");
            }
            var scripts = ReadScripts(context, value, field);
            var total = scripts.Sum(s => (long)s.TimeoutSeconds);
            if (total > AppSpec.MaxEventTimeoutSeconds)
            {
                context.Error(key, field, string.Create(CultureInfo.InvariantCulture,
                    $"The timeouts of '{key.Value}' add up to {total} s; CodeDeploy allows at most {AppSpec.MaxEventTimeoutSeconds} s per lifecycle event."));
            }
            hooks[key.Value] = scripts;
        }
        return hooks;
    }

    private static List<AppSpecHook> ReadScripts(ParseContext context, SpecNode node, string field)
    {
        var scripts = new List<AppSpecHook>();
        if (node is SpecScalar { IsNull: true })
        {
            return scripts;
        }
        if (node is not SpecSequence sequence)
        {
            context.Error(node, field, $"An event's scripts are a list of '- location: …' entries, found {node.Describe()}.");
            return scripts;
        }
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var itemField = $"{field}[{i}]";
            var mapping = context.Mapping(sequence.Items[i], itemField);
            if (mapping is null)
            {
                continue;
            }
            string? location = null;
            var timeout = AppSpec.MaxEventTimeoutSeconds;
            string? runAs = null;
            foreach (var (key, value) in mapping.Entries)
            {
                switch (key.Value)
                {
                    case "location":
                        location = context.String(value, $"{itemField}.location");
                        if (location is not null && location.Split('/', '\\').Contains(".."))
                        {
                            context.Error(value, $"{itemField}.location", $"The script '{location}' leaves the revision ('..'); a hook's location is a path inside the bundle.");
                        }
                        break;
                    case "timeout":
                        timeout = ReadTimeout(context, value, $"{itemField}.timeout");
                        break;
                    case "runas":
                        runAs = context.String(value, $"{itemField}.runas");
                        if (runAs is not null && (runAs.Length == 0 || runAs.Any(c => char.IsWhiteSpace(c) || c == ':' || c == '/')))
                        {
                            context.Error(value, $"{itemField}.runas", $"'{runAs}' is not a user name.");
                        }
                        break;
                    default:
                        context.UnknownKey(key, itemField, HookKeys);
                        break;
                }
            }
            if (location is null)
            {
                context.Error(mapping, $"{itemField}.location", "A hook needs 'location': the script's path in the revision.");
                continue;
            }
            scripts.Add(new AppSpecHook(location, timeout, runAs));
        }
        return scripts;
    }

    private static int ReadTimeout(ParseContext context, SpecNode node, string field)
    {
        var text = context.String(node, field);
        if (text is null)
        {
            return AppSpec.MaxEventTimeoutSeconds;
        }
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 1 and <= AppSpec.MaxEventTimeoutSeconds)
        {
            return seconds;
        }
        context.Error(node, field, $"'timeout' is a whole number of seconds from 1 to {AppSpec.MaxEventTimeoutSeconds}, found '{text}'.");
        return AppSpec.MaxEventTimeoutSeconds;
    }
}
