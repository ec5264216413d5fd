using BuildFarm.Core.Definitions.Parsing;
using BuildFarm.Core.Triggers;

namespace BuildFarm.UnitTests.Core.Triggers;

public sealed class TriggerFilterEvaluatorTests
{
    private const string Pipeline = """
        triggers:
          github:
            push:
              - branches: { include: [main, "release/**"], exclude: ["release/old/**"] }
                filePaths: { include: ["backend/**"], exclude: ["backend/docs/**"] }
              - tags: { include: ["v*"] }
            pullRequest:
              - branches: { include: [main] }
                events: [OPEN, CLOSED]
        """;

    private static readonly GitHubTriggers Filters = PipelineEdgesParser.Parse(Pipeline, "pipeline.yml").Triggers!.GitHub!;

    public static TheoryData<GitTriggerEvent, bool, string> Cases => new()
    {
        { GitTriggerEvent.Push("refs/heads/main", ["backend/src/A.java"]), true, "push filter 1 matched branch 'main'" },
        { GitTriggerEvent.Push("refs/heads/release/2.0", ["backend/pom.xml", "README.md"]), true, "push filter 1" },
        { GitTriggerEvent.Push("refs/heads/release/old/1", ["backend/pom.xml"]), false, "branch 'release/old/1' is not in main, release/** except release/old/**" },
        { GitTriggerEvent.Push("refs/heads/main", ["backend/docs/x.md"]), false, "none of the 1 changed file(s) is in backend/** except backend/docs/**" },
        { GitTriggerEvent.Push("refs/heads/feature/x", ["backend/a"]), false, "branch 'feature/x' is not in" },
        { GitTriggerEvent.Push("refs/heads/main", null), true, "push filter 1" },
        { GitTriggerEvent.Push("refs/tags/v1.2.0", []), true, "push filter 2 matched tag 'v1.2.0'" },
        { GitTriggerEvent.Push("refs/tags/nightly", []), false, "tag 'nightly' is not in v*" },
        { new GitTriggerEvent(GitEventKind.PullRequest, "main", null, PullRequestEventType.Open, null), true, "pull request filter 1 matched" },
        { new GitTriggerEvent(GitEventKind.PullRequest, "main", null, PullRequestEventType.Updated, null), false, "event UPDATED is not in OPEN, CLOSED" },
        { new GitTriggerEvent(GitEventKind.PullRequest, "dev", null, PullRequestEventType.Closed, null), false, "base branch 'dev' is not in main" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Says_whether_an_event_starts_the_pipeline_and_why(GitTriggerEvent trigger, bool matched, string reason)
    {
        var decision = TriggerFilterEvaluator.Evaluate(Filters, trigger);

        Assert.Equal(matched, decision.Matched);
        Assert.Contains(reason, decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Filters_only_for_pull_requests_stop_pushes()
    {
        var prOnly = new GitHubTriggers([], [new GitPullRequestFilter(null, GitPullRequestFilter.DefaultEvents, null)]);

        var decision = TriggerFilterEvaluator.Evaluate(prOnly, GitTriggerEvent.Push("refs/heads/main", []));

        Assert.False(decision.Matched);
        Assert.Contains("no push filters", decision.Reason, StringComparison.Ordinal);
    }
}
