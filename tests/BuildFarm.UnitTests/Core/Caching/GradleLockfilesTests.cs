using BuildFarm.Core.Caching;

namespace BuildFarm.UnitTests.Core.Caching;

public sealed class GradleLockfilesTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("buildfarm-lockfiles-").FullName;

    [Theory]
    [InlineData("gradle.lockfile", true)]
    [InlineData("app/gradle.lockfile", true)]
    [InlineData("app/buildscript-gradle.lockfile", true)]
    [InlineData("gradle/libs.versions.toml", true)]
    [InlineData("gradle/wrapper/gradle-wrapper.properties", true)]
    [InlineData("settings.gradle.kts", true)]
    [InlineData("lib/build.gradle", true)]
    [InlineData("src/main/java/App.java", false)]
    [InlineData("gradle.properties", false)]
    [InlineData("gradle/wrapper/gradle-wrapper.jar", false)]
    public void Which_files_go_into_the_key(string path, bool expected)
    {
        Assert.Equal(expected, GradleLockfiles.IsLockfile(path));
    }

    [Fact]
    public void Finds_the_key_files_of_every_module_but_not_in_build_outputs()
    {
        Write("settings.gradle", "include 'app', 'lib'");
        Write("build.gradle", "");
        Write("app/build.gradle.kts", "");
        Write("lib/nested/build.gradle", "");
        Write("app/src/App.java", "");
        Write("build/tmp/build.gradle", "");
        Write(".gradle/x/build.gradle", "");

        var found = GradleLockfiles.Find(_root).Select(f => f.RelativePath).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(["app/build.gradle.kts", "build.gradle", "lib/nested/build.gradle", "settings.gradle"], found);
        Assert.True(GradleLockfiles.IsGradleProject(_root));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Write(string path, string content)
    {
        var full = Path.Combine(_root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
    }
}
