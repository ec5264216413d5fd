extern alias worker;

using System.Diagnostics;
using BuildFarm.Core.Caching;
using BuildFarm.IntegrationTests.Fixtures;
using BuildFarm.Storage.Caching;
using worker::BuildFarm.Worker.Caching;

namespace BuildFarm.IntegrationTests.Caching;

/// <summary>
/// Debian's Gradle 4.4.1 (installed by scripts/test.sh) on a small real project, its dependencies
/// served over loopback HTTP from Debian's Maven repository. Worker A builds online and saves to
/// the real Redis; worker B, with its own blob cache and checkout (other line endings, one
/// dependency fewer), restores by the automatic key's prefix and builds with --offline while the
/// repository is down; its own save leaves out the dependency it no longer read.
/// </summary>
/// <remarks>
/// Gradle before 6.1 records absolute paths in its artifact index, so its cache only works at the
/// path it was made at: both workers use one GRADLE_USER_HOME path, and A's is deleted before B
/// restores into it (while it existed, B's build silently read A's files). Gradle 6.1+ caches are
/// relocatable.
/// </remarks>
[Collection(RedisCollection.Name)]
public sealed class RealGradleTests(RedisFixture redis) : IDisposable
{
    private const string Java = """
        package demo;

        public class App {
            public static String greet() { return org.apache.commons.lang3.StringUtils.capitalize("hello"); }
        }
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("bf-real-gradle-").FullName;

    [Fact]
    public async Task Worker_b_builds_offline_from_what_worker_a_saved_and_drops_the_dependency_it_did_not_read()
    {
        Assert.True(File.Exists("/usr/bin/gradle") && Directory.Exists(MavenRepositoryServer.Directory),
            "Debian's gradle is not installed: run the tests through scripts/test.sh, which installs it.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await using var store = new RedisCacheStore(redis.Configuration, redis.CreateKeyPrefix("real-gradle"), TimeSpan.FromDays(1), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));
        using var a = new CacheWorker(store);
        using var b = new CacheWorker(store);
        var projectA = Path.Combine(_directory, "a");
        var projectB = Path.Combine(_directory, "b");
        var gradleHome = Path.Combine(_directory, "gradle-home");
        IReadOnlyList<CacheRoot> roots = [new CacheRoot("~/.gradle", gradleHome, "")];

        string keyA;
        Uri repositoryUrl;
        await using (var repository = await MavenRepositoryServer.StartAsync(timeout.Token))
        {
            repositoryUrl = repository.Url;
            WriteProject(projectA, repositoryUrl, ["org.apache.commons:commons-lang3:3.12.0", "commons-cli:commons-cli:1.5.0"], "\n");
            await GradleAsync(projectA, gradleHome, offline: false, timeout.Token);
            Assert.True(repository.Requests > 0, "worker A never asked the repository, so nothing was downloaded");
            keyA = CacheKey.ForGradle("demo", "linux-x64", GradleLockfiles.Find(projectA));
            var saved = await a.Cache.SaveAsync(keyA, roots, null, timeout.Token);
            Assert.Equal(CacheSaveOutcome.Saved, saved.Outcome);
        }

        var manifest = CacheManifest.Deserialize(ChunkCodec.DecompressManifest((await store.GetManifestAsync(keyA, timeout.Token))!));
        Assert.Contains(manifest.Files, f => f.Path.EndsWith("/commons-lang3-3.12.0.jar", StringComparison.Ordinal));
        Assert.DoesNotContain(manifest.Files, f => f.Path.EndsWith(".lock", StringComparison.Ordinal) || f.Path.StartsWith("caches/4.4.1/", StringComparison.Ordinal));

        // Same project with CRLF: the same key. Then B drops commons-cli: a new key, so B falls back
        // by prefix. The repository is down by now; --offline must not need it.
        WriteProject(projectB, repositoryUrl, ["org.apache.commons:commons-lang3:3.12.0", "commons-cli:commons-cli:1.5.0"], "\r\n");
        Assert.Equal(keyA, CacheKey.ForGradle("demo", "linux-x64", GradleLockfiles.Find(projectB)));
        WriteProject(projectB, repositoryUrl, ["org.apache.commons:commons-lang3:3.12.0"], "\r\n");
        var keyB = CacheKey.ForGradle("demo", "linux-x64", GradleLockfiles.Find(projectB));
        Assert.NotEqual(keyA, keyB);

        Directory.Delete(gradleHome, recursive: true);
        var restored = await b.Cache.RestoreAsync(keyB, [CacheKey.GradlePrefix("demo", "linux-x64")], roots, timeout.Token);
        Assert.Equal(CacheRestoreOutcome.FallbackHit, restored.Outcome);
        Assert.Equal(keyA, restored.MatchedKey);
        Assert.True(restored.BytesDownloaded > 0, "worker B has its own blob cache, so it must have downloaded");
        await GradleAsync(projectB, gradleHome, offline: true, timeout.Token);
        Assert.True(File.Exists(Path.Combine(projectB, "build", "libs", "demo.jar")));

        var savedB = await b.Cache.SaveAsync(keyB, roots, restored, timeout.Token);
        Assert.Equal(CacheSaveOutcome.Saved, savedB.Outcome);
        Assert.True(savedB.FilesDropped >= 1, $"nothing was dropped: {savedB}");
        var manifestB = CacheManifest.Deserialize(ChunkCodec.DecompressManifest((await store.GetManifestAsync(keyB, timeout.Token))!));
        Assert.DoesNotContain(manifestB.Files, f => f.Path.EndsWith("/commons-cli-1.5.0.jar", StringComparison.Ordinal));
        Assert.Contains(manifestB.Files, f => f.Path.EndsWith("/commons-lang3-3.12.0.jar", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A Gradle process that outlived a failed test may still write here; the temp cleaner gets it.
        }
    }

    private static void WriteProject(string directory, Uri repository, IEnumerable<string> dependencies, string newline)
    {
        Directory.CreateDirectory(Path.Combine(directory, "src", "main", "java", "demo"));
        var build = $"apply plugin: 'java'\nrepositories {{ maven {{ url '{repository}' }} }}\ndependencies {{\n{string.Concat(dependencies.Select(d => $"    compile '{d}'\n"))}}}\n";
        File.WriteAllText(Path.Combine(directory, "build.gradle"), build.ReplaceLineEndings(newline));
        File.WriteAllText(Path.Combine(directory, "settings.gradle"), $"rootProject.name = 'demo'{newline}");
        File.WriteAllText(Path.Combine(directory, "src", "main", "java", "demo", "App.java"), Java.ReplaceLineEndings(newline));
    }

    private static async Task GradleAsync(string project, string gradleHome, bool offline, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("gradle")
        {
            WorkingDirectory = project,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "build", "--no-daemon", "--console=plain", "-q" }.Concat(offline ? ["--offline"] : []))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["GRADLE_USER_HOME"] = gradleHome;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        Assert.True(process.ExitCode == 0, $"gradle {(offline ? "--offline " : "")}failed ({process.ExitCode}):\n{await output}\n{await error}");
    }
}
