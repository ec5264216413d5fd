using System.Text;
using BuildFarm.Core.Caching;

namespace BuildFarm.UnitTests.Core.Caching;

public sealed class CacheKeyTests
{
    private static CacheKeyFile File(string path, string content) => new(path, Encoding.UTF8.GetBytes(content));

    [Fact]
    public void The_gradle_key_does_not_depend_on_file_order()
    {
        var a = CacheKey.ForGradle("web", "linux-x64", [File("build.gradle", "x"), File("app/build.gradle", "y"), File("gradle.lockfile", "z")]);
        var b = CacheKey.ForGradle("web", "linux-x64", [File("gradle.lockfile", "z"), File("build.gradle", "x"), File("app/build.gradle", "y")]);

        Assert.Equal(a, b);
        Assert.StartsWith("gradle-web-linux-x64-", a);
    }

    [Fact]
    public void The_gradle_key_does_not_depend_on_line_endings_or_path_separators()
    {
        var unix = CacheKey.ForGradle("web", "linux-x64", [File("app/build.gradle", "dependencies {\n  compile 'a:b:1'\n}\n")]);
        var windows = CacheKey.ForGradle("web", "linux-x64", [File("app\\build.gradle", "dependencies {\r\n  compile 'a:b:1'\r\n}\r\n")]);

        Assert.Equal(unix, windows);
    }

    [Fact]
    public void A_changed_dependency_a_moved_module_namespace_or_platform_changes_the_key()
    {
        var original = CacheKey.ForGradle("web", "linux-x64", [File("app/build.gradle", "compile 'a:b:1'")]);

        Assert.NotEqual(original, CacheKey.ForGradle("web", "linux-x64", [File("app/build.gradle", "compile 'a:b:2'")]));
        Assert.NotEqual(original, CacheKey.ForGradle("web", "linux-x64", [File("lib/build.gradle", "compile 'a:b:1'")]));
        Assert.NotEqual(original, CacheKey.ForGradle("api", "linux-x64", [File("app/build.gradle", "compile 'a:b:1'")]));
        Assert.NotEqual(original, CacheKey.ForGradle("web", "linux-arm64", [File("app/build.gradle", "compile 'a:b:1'")]));
    }

    [Fact]
    public void Moving_content_between_files_changes_the_hash()
    {
        // Without length framing "ab"+"c" and "a"+"bc" would hash alike.
        Assert.NotEqual(
            CacheKey.HashFiles([File("a", "ab"), File("b", "c")]),
            CacheKey.HashFiles([File("a", "a"), File("b", "bc")]));
    }

    [Theory]
    [InlineData("gradle-web-linux-x64-0123abcd", null)]
    [InlineData("npm-key-e3b0c442", null)]
    [InlineData("", "is empty")]
    [InlineData("a/b", "contains '/'")]
    [InlineData("a b", "contains ' '")]
    [InlineData(".hidden", "starts with '.'")]
    public void Key_rules(string key, string? problem)
    {
        if (problem is null)
        {
            Assert.Null(CacheKey.Problem(key));
        }
        else
        {
            Assert.StartsWith(problem, CacheKey.Problem(key));
        }
    }

    [Fact]
    public void A_namespace_with_odd_characters_still_makes_a_valid_key()
    {
        Assert.Null(CacheKey.Problem(CacheKey.ForGradle("my team/web app", "linux-x64", [])));
    }
}
