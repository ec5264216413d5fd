using BuildFarm.Core.Definitions;
using BuildFarm.Core.Definitions.Parsing;
using BuildFarm.Core.Notifications;

namespace BuildFarm.UnitTests.Core.Notifications;

public sealed class NotificationsSectionReaderTests
{
    [Fact]
    public void Reads_rules_with_their_defaults()
    {
        var edges = PipelineEdgesParser.Parse("""
            notifications:
              - name: team-slack
                url: https://hooks.slack.com/services/T/B/X
                format: slack
                events: [SUCCEEDED, FAILED, APPROVAL_NEEDED]
              - name: audit
                targetSecret: notify/audit-url
            """, "pipeline.yml");

        Assert.Empty(edges.Diagnostics);
        Assert.Collection(edges.Notifications,
            slack =>
            {
                Assert.Equal(("team-slack", NotificationFormat.Slack), (slack.Name, slack.Format));
                Assert.Equal("hooks.slack.com", slack.Url!.Host);
                Assert.Equal([NotificationEvent.Succeeded, NotificationEvent.Failed, NotificationEvent.ApprovalNeeded], slack.Events);
            },
            audit =>
            {
                Assert.Equal(("notify/audit-url", NotificationFormat.Json), (audit.TargetSecret, audit.Format));
                Assert.Equal(NotificationEvents.All, audit.Events);
            });
    }

    public static TheoryData<string, int, int, string, string> Errors => new()
    {
        { "notifications:\n  - name: a\n    format: xml\n    url: http://127.0.0.1/\n", 3, 13, "notifications[0].format", "expected slack or json" },
        { "notifications:\n  - name: a\n    url: ftp://x/\n", 3, 10, "notifications[0].url", "not an absolute http or https URL" },
        { "notifications:\n  - name: a\n", 2, 5, "notifications[0]", "needs a 'url' or a 'targetSecret'" },
        { "notifications:\n  - name: a\n    url: http://127.0.0.1/\n    targetSecret: s\n", 3, 10, "notifications[0].url", "not both" },
        { "notifications:\n  - url: http://127.0.0.1/\n", 2, 5, "notifications[0].name", "needs a 'name'" },
        { "notifications:\n  - name: a\n    url: http://127.0.0.1/\n    events: [DONE]\n", 4, 14, "notifications[0].events[0]", "not a notification event" },
        { "notifications:\n  - name: a\n    url: http://127.0.0.1/\n  - name: a\n    url: http://127.0.0.1/\n", 4, 5, "notifications[1].name", "used twice" },
        { "notifications:\n  name: a\n", 2, 3, "notifications", "Expected a list" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Reports_each_mistake_with_its_line_column_and_field(string yaml, int line, int column, string field, string message)
    {
        var edges = PipelineEdgesParser.Parse(yaml, "pipeline.yml");

        var error = Assert.Single(edges.Diagnostics, d => d.Severity == DefinitionSeverity.Error);
        Assert.Equal(("pipeline.yml", line, column, field), (error.File, error.Line, error.Column, error.Field));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
