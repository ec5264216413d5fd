using BuildFarm.Core.Triggers;

namespace BuildFarm.UnitTests.Core.Triggers;

public sealed class GitFilterGlobTests
{
    [Theory]
    [InlineData("main", "main", true)]
    [InlineData("main", "main2", false)]
    [InlineData("release/*", "release/1.0", true)]
    [InlineData("release/*", "release/1.0/hotfix", false)]
    [InlineData("release/**", "release/1.0/hotfix", true)]
    [InlineData("backend/**", "backend/src/App.java", true)]
    [InlineData("backend/**", "frontend/src/App.java", false)]
    [InlineData("**/*.md", "README.md", true)]
    [InlineData("**/*.md", "docs/a/b.md", true)]
    [InlineData("docs/**/*.png", "docs/x.png", true)]
    [InlineData("v?", "v1", true)]
    [InlineData("v?", "v10", false)]
    [InlineData("v*", "v1.2.3", true)]
    [InlineData("feature/{a,b}-*", "feature/b-login", true)]
    [InlineData("feature/{a,b}-*", "feature/c-login", false)]
    [InlineData("[!x]*", "main", true)]
    [InlineData("[!x]*", "xmain", false)]
    [InlineData("v[0-9].*", "v3.1", true)]
    [InlineData(@"a\*b", "a*b", true)]
    [InlineData(@"a\*b", "axb", false)]
    [InlineData("**", "any/depth/file", true)]
    public void Matches_as_CodePipeline_git_filters_do(string pattern, string value, bool expected) =>
        Assert.Equal(expected, GitFilterGlob.IsMatch(pattern, value));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("release/[abc", "never closed")]
    [InlineData("a[]b", "empty")]
    [InlineData("{a,b", "never closed")]
    [InlineData(@"trailing\", "lone")]
    public void A_malformed_pattern_is_explained_and_matches_nothing(string pattern, string reason)
    {
        Assert.Contains(reason, GitFilterGlob.Validate(pattern), StringComparison.Ordinal);
        Assert.False(GitFilterGlob.IsMatch(pattern, pattern));
    }

    [Fact]
    public void Exclusions_win_over_inclusions() =>
        Assert.False(new GitPatternFilter(["**"], ["docs/**"]).Matches("docs/index.md"));
}
