using BuildFarm.Worker.Artifacts;

namespace BuildFarm.UnitTests.Worker.Artifacts;

public sealed class GlobPatternTests
{
    [Theory]
    // * stays inside one name
    [InlineData("*.jar", "app.jar", true)]
    [InlineData("*.jar", "libs/app.jar", false)]
    [InlineData("build/libs/*.jar", "build/libs/app.jar", true)]
    [InlineData("build/libs/*.jar", "build/libs/sub/app.jar", false)]
    [InlineData("*", ".env", true)]
    [InlineData("dir/*", "dir/sub/file", false)]
    // ? is exactly one character of a name
    [InlineData("file?.txt", "file1.txt", true)]
    [InlineData("file?.txt", "file10.txt", false)]
    [InlineData("file?.txt", "file.txt", false)]
    [InlineData("a?b", "a/b", false)]
    // a ** segment spans any number of directories, none included
    [InlineData("**/*", "top.txt", true)]
    [InlineData("**/*", "a/b/c/deep.txt", true)]
    [InlineData("scripts/**/*", "scripts/start.sh", true)]
    [InlineData("scripts/**/*", "scripts/lib/common.sh", true)]
    [InlineData("scripts/**/*", "other/start.sh", false)]
    [InlineData("**/test-results.xml", "test-results.xml", true)]
    [InlineData("**/test-results.xml", "a/b/test-results.xml", true)]
    [InlineData("a/**/z.txt", "a/z.txt", true)]
    [InlineData("a/**/z.txt", "a/b/c/z.txt", true)]
    [InlineData("a/**/z.txt", "ab/z.txt", false)]
    [InlineData("logs/**", "logs/x/y.log", true)]
    [InlineData("**/node_modules/**/*", "web/node_modules/left-pad/index.js", true)]
    // ** inside a name spans directories (CodeBuild's exclude-paths wording)
    [InlineData("build/**.jar", "build/a/b/app.jar", true)]
    [InlineData("build/**.jar", "build/app.jar", true)]
    // literal paths, normalised; regex characters are plain characters
    [InlineData("appspec.yml", "appspec.yml", true)]
    [InlineData("appspec.yml", "x/appspec.yml", false)]
    [InlineData("./build/out.txt", "build/out.txt", true)]
    [InlineData("build//out.txt", "build/out.txt", true)]
    [InlineData("a+b (1).txt", "a+b (1).txt", true)]
    [InlineData("a.b", "axb", false)]
    [InlineData("[ab].txt", "[ab].txt", true)]
    // case matters, as on the Linux file system the build ran on
    [InlineData("*.JAR", "app.jar", false)]
    public void Matches_paths_as_CodeBuild_globs_do(string pattern, string path, bool expected)
    {
        Assert.True(GlobPattern.TryParse(pattern, out var glob, out var error), error);

        Assert.Equal(expected, glob.IsMatch(path));
    }

    [Theory]
    [InlineData("scripts/**/*", "scripts", true)]
    [InlineData("scripts/**/*", "scripts/lib", true)]
    [InlineData("scripts/**", "scripts", true)]
    [InlineData("**/*", "anything", true)]
    [InlineData("**/node_modules/**/*", "web/node_modules", true)]
    [InlineData("dist", "dist", true)]
    [InlineData("dist/", "dist", true)]
    [InlineData("dist", "dist2", false)]
    [InlineData("dist", "dist/js", true)]
    [InlineData("scripts/**/*", "scripts2", false)]
    [InlineData("**/node_modules/**/*", "web/node_modules/left-pad/lib", true)]
    [InlineData("scripts/*", "scripts", false)]
    [InlineData("scripts/**/*.sh", "scripts", false)]
    public void Knows_when_a_pattern_takes_a_directory_whole(string pattern, string directory, bool expected)
    {
        Assert.True(GlobPattern.TryParse(pattern, out var glob, out _));

        Assert.Equal(expected, glob.MatchesEverythingBelow(directory));
    }

    [Theory]
    [InlineData("build/libs/*.jar", "build", true)]
    [InlineData("build/libs/*.jar", "build/libs", true)]
    [InlineData("build/libs/*.jar", "node_modules", false)]
    [InlineData("build/libs/*.jar", "build/classes", false)]
    [InlineData("appspec.yml", "scripts", false)]
    [InlineData("deploy/appspec.yml", "deploy", true)]
    [InlineData("*/out.txt", "anything", true)]
    [InlineData("**/*.jar", "deep", true)]
    public void Prunes_directories_no_path_below_can_match(string pattern, string directory, bool expected)
    {
        Assert.True(GlobPattern.TryParse(pattern, out var glob, out _));

        Assert.Equal(expected, glob.MayMatchBelow(directory));
    }

    [Theory]
    [InlineData("/etc/passwd", "absolute")]
    [InlineData("../secrets/*", "leaves the base directory")]
    [InlineData("build/../../x", "leaves the base directory")]
    public void Refuses_patterns_outside_the_base_directory(string pattern, string reason)
    {
        Assert.False(GlobPattern.TryParse(pattern, out _, out var error));

        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.Contains(pattern, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Many_double_stars_still_match_in_linear_time()
    {
        Assert.True(GlobPattern.TryParse("**/a/**/a/**/a/**/a/**/a/**/b", out var glob, out _));
        var path = string.Join('/', Enumerable.Repeat("a", 2000));

        Assert.False(glob.IsMatch(path));
    }
}
