using BuildFarm.Core.Definitions.Parsing;

namespace BuildFarm.Core.Notifications;

/// <summary>Reads a pipeline file's <c>notifications</c> section: a list of HTTP targets and the events they want.</summary>
internal static class NotificationsSectionReader
{
    /// <summary>Each event fans out to every rule; a bound keeps one run from flooding the retry queue.</summary>
    public const int MaxRules = 10;

    private static readonly string[] Keys = ["name", "url", "targetSecret", "format", "events"];

    public static IReadOnlyList<NotificationRule> Read(ParseContext context, SpecScalar sectionKey, SpecNode value)
    {
        var rules = new List<NotificationRule>();
        if (value is SpecScalar { IsNull: true })
        {
            return rules;
        }
        if (value is not SpecSequence sequence)
        {
            context.Error(value, "notifications",
                $"Expected a list of notification rules, found {value.Describe()}; write each rule as a list item ('- name: …').");
            return rules;
        }
        if (sequence.Items.Count > MaxRules)
        {
            context.Error(sequence.Items[MaxRules], "notifications",
                $"'notifications' has {sequence.Items.Count} rules; at most {MaxRules} are allowed.");
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var field = $"notifications[{i}]";
            if (context.Mapping(sequence.Items[i], field) is not { } mapping)
            {
                continue;
            }
            if (ReadRule(context, mapping, field) is { } rule)
            {
                if (!names.Add(rule.Name))
                {
                    context.Error(mapping.FindKey("name") ?? (SpecNode)mapping, $"{field}.name",
                        $"The notification name '{rule.Name}' is used twice; names must be unique.");
                }
                rules.Add(rule);
            }
        }
        return rules;
    }

    private static NotificationRule? ReadRule(ParseContext context, SpecMapping mapping, string field)
    {
        string? name = null, targetSecret = null;
        Uri? url = null;
        SpecNode? urlNode = null;
        var format = NotificationFormat.Json;
        IReadOnlyList<NotificationEvent> events = NotificationEvents.All;
        foreach (var (key, value) in mapping.Entries)
        {
            switch (key.Value)
            {
                case "name":
                    name = context.String(value, $"{field}.name");
                    break;
                case "url":
                    urlNode = value;
                    url = ReadUrl(context, value, $"{field}.url");
                    break;
                case "targetSecret":
                    targetSecret = context.String(value, $"{field}.targetSecret");
                    break;
                case "format":
                    format = ReadFormat(context, value, $"{field}.format");
                    break;
                case "events":
                    events = ReadEvents(context, value, $"{field}.events");
                    break;
                default:
                    context.UnknownKey(key, field, Keys);
                    break;
            }
        }
        var ok = true;
        if (string.IsNullOrWhiteSpace(name))
        {
            context.Error(mapping, $"{field}.name", "A notification rule needs a 'name'.");
            ok = false;
        }
        if (urlNode is not null && targetSecret is not null)
        {
            context.Error(urlNode, $"{field}.url", "Give either 'url' or 'targetSecret', not both.");
            ok = false;
        }
        else if (urlNode is null && targetSecret is null)
        {
            context.Error(mapping, field, "A notification rule needs a 'url' or a 'targetSecret' naming a secret that holds the URL.");
            ok = false;
        }
        return ok && (url is not null || targetSecret is not null)
            ? new NotificationRule(name!, url, targetSecret, format, events)
            : null;
    }

    private static Uri? ReadUrl(ParseContext context, SpecNode node, string field)
    {
        if (context.String(node, field) is not { } text)
        {
            context.Error(node, field, "'url' is empty.");
            return null;
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            context.Error(node, field, $"'{text}' is not an absolute http or https URL.");
            return null;
        }
        return url;
    }

    private static NotificationFormat ReadFormat(ParseContext context, SpecNode node, string field)
    {
        switch (context.String(node, field))
        {
            case null or "json":
                return NotificationFormat.Json;
            case "slack":
                return NotificationFormat.Slack;
            case var other:
                context.Error(node, field, $"'{other}' is not a notification format; expected slack or json.");
                return NotificationFormat.Json;
        }
    }

    private static IReadOnlyList<NotificationEvent> ReadEvents(ParseContext context, SpecNode node, string field)
    {
        var names = context.StringList(node, field);
        if (names.Count == 0)
        {
            return NotificationEvents.All;
        }
        var events = new List<NotificationEvent>(names.Count);
        for (var i = 0; i < names.Count; i++)
        {
            var match = NotificationEvents.All.Where(e => NotificationEvents.Name(e) == names[i]).Cast<NotificationEvent?>().FirstOrDefault();
            if (match is { } known)
            {
                if (!events.Contains(known))
                {
                    events.Add(known);
                }
            }
            else
            {
                var at = node is SpecSequence sequence && i < sequence.Items.Count ? sequence.Items[i] : node;
                context.Error(at, $"{field}[{i}]",
                    $"'{names[i]}' is not a notification event; expected one of {string.Join(", ", NotificationEvents.All.Select(NotificationEvents.Name))}.");
            }
        }
        return events;
    }
}
