using BuildFarm.Worker.Caching;

namespace BuildFarm.UnitTests.Worker.Caching;

public sealed class CachePathsTests
{
    private const string Home = "/work/job/home";
    private const string Source = "/work/job/src";

    [Theory]
    [InlineData("/root/.gradle/caches/**/*", "~/.gradle/caches", "/work/job/home/.gradle/caches", "caches/")]
    [InlineData("~/.gradle", "~/.gradle", "/work/job/home/.gradle", "")]
    [InlineData("$HOME/.m2/**/*", "~/.m2", "/work/job/home/.m2", null)]
    [InlineData("node_modules/**/*", "node_modules", "/work/job/src/node_modules", null)]
    [InlineData("./vendor/", "vendor", "/work/job/src/vendor", null)]
    public void Buildspec_paths_map_to_the_jobs_home_and_source(string path, string name, string directory, string? gradle)
    {
        var (roots, problems) = CachePaths.Resolve([path], Home, Source);

        Assert.Empty(problems);
        var root = Assert.Single(roots);
        Assert.Equal(new CacheRoot(name, directory, gradle), root);
    }

    [Theory]
    [InlineData("/usr/local/lib/**/*", "outside HOME")]
    [InlineData("**/node_modules/**/*", "only a directory")]
    [InlineData("../other", "'.' or '..'")]
    public void Paths_that_would_write_elsewhere_or_that_are_real_globs_are_refused(string path, string problem)
    {
        var (roots, problems) = CachePaths.Resolve([path], Home, Source);

        Assert.Empty(roots);
        Assert.Contains(problem, Assert.Single(problems));
    }

    [Fact]
    public void A_root_inside_another_is_saved_once()
    {
        var (roots, _) = CachePaths.Resolve(["/root/.gradle/**/*", "/root/.gradle/caches/**/*", "~/.gradle"], Home, Source);

        Assert.Equal("~/.gradle", Assert.Single(roots).Name);
    }
}
