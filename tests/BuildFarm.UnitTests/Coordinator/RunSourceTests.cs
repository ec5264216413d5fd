extern alias coordinator;

using coordinator::BuildFarm.Coordinator.Api.Models;

namespace BuildFarm.UnitTests.Coordinator;

public sealed class RunSourceTests
{
    [Theory]
    [InlineData("branch/main", "main")]
    [InlineData("branch/feature/x", "feature/x")]
    [InlineData("tag/v1.2.0", "tag v1.2.0")]
    [InlineData("pr/17", "pr/17")]
    public void The_branch_comes_from_the_webhook_trigger(string trigger, string branch) =>
        Assert.Equal(branch, RunSource.Branch(new Dictionary<string, string> { ["CODEBUILD_WEBHOOK_TRIGGER"] = trigger }));

    [Fact]
    public void Without_a_trigger_the_head_ref_or_a_branch_source_version_names_the_branch()
    {
        Assert.Equal("dev", RunSource.Branch(new Dictionary<string, string> { ["CODEBUILD_WEBHOOK_HEAD_REF"] = "refs/heads/dev" }));
        Assert.Equal("rel", RunSource.Branch(new Dictionary<string, string> { ["CODEBUILD_SOURCE_VERSION"] = "refs/heads/rel" }));
        Assert.Null(RunSource.Branch(new Dictionary<string, string> { ["GREETING"] = "hi" }));
    }

    [Fact]
    public void The_commit_is_the_resolved_version_else_a_source_version_that_is_not_a_ref()
    {
        Assert.Equal("abc123", RunSource.Commit(new Dictionary<string, string>
        {
            ["CODEBUILD_SOURCE_VERSION"] = "pr/3",
            ["CODEBUILD_RESOLVED_SOURCE_VERSION"] = "abc123",
        }));
        Assert.Equal("def456", RunSource.Commit(new Dictionary<string, string> { ["CODEBUILD_SOURCE_VERSION"] = "def456" }));
        Assert.Null(RunSource.Commit(new Dictionary<string, string> { ["CODEBUILD_SOURCE_VERSION"] = "refs/heads/main" }));
        Assert.Null(RunSource.Commit(new Dictionary<string, string>()));
    }
}
