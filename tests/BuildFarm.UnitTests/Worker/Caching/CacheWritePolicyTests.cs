using BuildFarm.Worker.Caching;

namespace BuildFarm.UnitTests.Worker.Caching;

public sealed class CacheWritePolicyTests
{
    [Fact]
    public void A_run_with_no_branch_saves()
    {
        Assert.Equal((true, null), CacheWritePolicy.Decide(new Dictionary<string, string>(), "main"));
    }

    [Fact]
    public void Only_the_default_branch_saves()
    {
        Assert.True(CacheWritePolicy.Decide(Vars(("CODEBUILD_WEBHOOK_HEAD_REF", "refs/heads/main")), "main").Save);

        var (save, reason) = CacheWritePolicy.Decide(Vars(("CODEBUILD_WEBHOOK_HEAD_REF", "refs/heads/feature/x")), "main");
        Assert.False(save);
        Assert.Equal("branch feature/x is not the default branch main", reason);
    }

    [Fact]
    public void The_runs_default_branch_wins_over_the_workers()
    {
        var variables = Vars(("CODEBUILD_WEBHOOK_HEAD_REF", "refs/heads/develop"), ("BUILDFARM_DEFAULT_BRANCH", "develop"));

        Assert.True(CacheWritePolicy.Decide(variables, "main").Save);
    }

    [Fact]
    public void Pull_requests_and_tags_do_not_save_even_from_a_branch_named_like_the_default()
    {
        Assert.False(CacheWritePolicy.Decide(Vars(("CODEBUILD_WEBHOOK_EVENT", "PULL_REQUEST_UPDATED"), ("CODEBUILD_WEBHOOK_HEAD_REF", "refs/heads/main")), "main").Save);
        Assert.False(CacheWritePolicy.Decide(Vars(("CODEBUILD_WEBHOOK_HEAD_REF", "refs/tags/v1")), "main").Save);
    }

    [Fact]
    public void A_pipeline_can_save_from_every_branch_or_never()
    {
        var feature = ("CODEBUILD_WEBHOOK_HEAD_REF", "refs/heads/feature");

        Assert.True(CacheWritePolicy.Decide(Vars(feature, ("BUILDFARM_CACHE_WRITE", "always")), "main").Save);
        Assert.False(CacheWritePolicy.Decide(Vars(("BUILDFARM_CACHE_WRITE", "never")), "main").Save);
    }

    private static Dictionary<string, string> Vars(params (string Name, string Value)[] variables) =>
        variables.ToDictionary(v => v.Name, v => v.Value);
}
