using BuildFarm.Core.Notifications;
using BuildFarm.Core.Triggers;

namespace BuildFarm.Core.Definitions.Parsing;

/// <summary>
/// Reads only a pipeline file's <c>triggers</c> and <c>notifications</c> sections, ignoring every other key, so
/// the webhook, the scheduler and the notifier can use them from a stored definition of any kind (a buildspec
/// has neither section and reads as "no triggers, no notifications").
/// </summary>
public static class PipelineEdgesParser
{
    public static PipelineEdges Parse(string text, string fileName)
    {
        var context = new ParseContext(fileName);
        PipelineTriggers? triggers = null;
        IReadOnlyList<NotificationRule> notifications = [];
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }
        if (text.Length <= BuildSpecParser.MaxLength
            && SpecTreeBuilder.TryBuild(text, context, out var root)
            && root is SpecMapping mapping)
        {
            foreach (var (key, value) in mapping.Entries)
            {
                switch (key.Value)
                {
                    case "triggers":
                        triggers = TriggersSectionReader.Read(context, key, value);
                        break;
                    case "notifications":
                        notifications = NotificationsSectionReader.Read(context, key, value);
                        break;
                }
            }
        }
        return new PipelineEdges(triggers, notifications,
            [.. context.Diagnostics.OrderBy(d => d.Line).ThenBy(d => d.Column)]);
    }
}
