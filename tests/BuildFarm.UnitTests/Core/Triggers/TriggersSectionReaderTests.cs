using BuildFarm.Core.Definitions;
using BuildFarm.Core.Definitions.Parsing;
using BuildFarm.Core.Triggers;

namespace BuildFarm.UnitTests.Core.Triggers;

public sealed class TriggersSectionReaderTests
{
    [Fact]
    public void Reads_the_schema_example()
    {
        var edges = PipelineEdgesParser.Parse("""
            version: 1
            triggers:
              github:
                push:
                  - branches: { include: [main, "release/**"], exclude: [] }
                    tags: { include: ["v*"] }
                    filePaths: { include: ["backend/**"], exclude: ["docs/**"] }
                pullRequest:
                  - branches: { include: [main] }
                    filePaths: { include: ["**"] }
              schedule: "0 3 * * *"
            stages: []
            """, "pipeline.yml");

        Assert.Empty(edges.Diagnostics);
        var github = edges.Triggers!.GitHub!;
        Assert.Equal(["main", "release/**"], github.Push[0].Branches!.Include);
        Assert.Equal(["docs/**"], github.Push[0].FilePaths!.Exclude);
        Assert.Equal(GitPullRequestFilter.DefaultEvents, github.PullRequest[0].Events);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 3, 0, 0, TimeSpan.Zero),
            edges.Triggers.Schedule!.NextAfter(new DateTimeOffset(2026, 11, 25, 14, 0, 0, TimeSpan.Zero)));
    }

    public static TheoryData<string, int, int, string, string> Errors => new()
    {
        { "triggers:\n  github:\n    push:\n      - branches: [a]\n      - branches: [b]\n      - branches: [c]\n      - branches: [d]\n", 7, 9, "triggers.github.push", "at most 3" },
        { "triggers:\n  github:\n    push:\n      - branches: { include: [a, b, c, d, e, f, g, h, i] }\n", 4, 55, "triggers.github.push[0].branches.include", "at most 8" },
        { "triggers:\n  github:\n    push:\n      - branches: { include: [\"rel/[x\"] }\n", 4, 31, "triggers.github.push[0].branches.include", "is never closed" },
        { "triggers:\n  schedule: \"0 3 * *\"\n", 2, 13, "triggers.schedule", "5 fields" },
        { "triggers:\n  schedule: \"0 25 * * *\"\n", 2, 13, "triggers.schedule", "not a valid cron schedule" },
        { "triggers:\n  github:\n    pullRequest:\n      - events: [OPENED]\n", 4, 18, "triggers.github.pullRequest[0].events[0]", "expected OPEN, UPDATED or CLOSED" },
        { "triggers:\n  github:\n    pullRequest:\n      - branchs: [main]\n", 4, 9, "triggers.github.pullRequest[0].branchs", "did you mean 'branches'" },
        { "triggers:\n  github:\n    push:\n      - {}\n", 4, 9, "triggers.github.push[0]", "filters nothing" },
        { "triggers:\n  gitlab: {}\n", 2, 3, "triggers.gitlab", "Unknown key" },
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

    [Fact]
    public void A_buildspec_has_no_triggers_and_no_notifications()
    {
        var edges = PipelineEdgesParser.Parse("version: 0.2\nphases:\n  build:\n    commands: [make]\n", "buildspec.yml");

        Assert.Null(edges.Triggers);
        Assert.Empty(edges.Notifications);
        Assert.Empty(edges.Diagnostics);
    }
}
