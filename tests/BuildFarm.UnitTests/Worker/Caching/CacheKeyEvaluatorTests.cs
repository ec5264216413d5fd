using BuildFarm.Worker.Caching;
using BuildFarm.Worker.Jobs;

namespace BuildFarm.UnitTests.Worker.Caching;

/// <summary>Keys are evaluated by bash as CodeBuild does, with codebuild-hash-files on PATH.</summary>
public sealed class CacheKeyEvaluatorTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("buildfarm-cache-key-").FullName;

    [Fact]
    public async Task Variables_and_command_substitutions_are_expanded_without_quoting_trouble()
    {
        var (key, problem) = await EvaluateAsync("npm-$DEPS-$(echo x)-'q'", ("DEPS", "7"));

        Assert.Null(problem);
        Assert.Equal("npm-7-x-'q'", key);
    }

    [Fact]
    public async Task Hash_files_is_stable_across_pattern_order_and_changes_with_content()
    {
        Write("a.lock", "1");
        Write("sub/deep/b.lock", "2");
        Write("sub/c.txt", "3");

        var (one, _) = await EvaluateAsync("$(codebuild-hash-files '**/*.lock' sub/c.txt)");
        var (two, _) = await EvaluateAsync("$(codebuild-hash-files sub/c.txt '**/*.lock' a.lock)");
        Write("sub/deep/b.lock", "changed");
        var (three, _) = await EvaluateAsync("$(codebuild-hash-files '**/*.lock' sub/c.txt)");

        Assert.Matches("^[0-9a-f]{64}$", one);
        Assert.Equal(one, two);
        Assert.NotEqual(one, three);
    }

    [Fact]
    public async Task A_failing_key_command_is_reported_not_used()
    {
        var (key, problem) = await EvaluateAsync("k-$(exit 3)$(false)", ("X", "1"));

        // A command substitution's failure does not fail the here-document; the key is what it printed.
        Assert.Equal("k-", key);
        Assert.Null(problem);
        var (multi, why) = await EvaluateAsync("a\nb");
        Assert.Null(multi);
        Assert.Equal("a cache key must be one line", why);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private async Task<(string? Key, string? Problem)> EvaluateAsync(string expression, params (string Name, string Value)[] variables)
    {
        var environment = new Dictionary<string, string> { ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin" };
        foreach (var (name, value) in variables)
        {
            environment[name] = value;
        }

        HashFilesCommand.Install(Path.Combine(_root, ".tools"), environment);
        return await CacheKeyEvaluator.EvaluateAsync(expression, environment, _root, CancellationToken.None);
    }

    private void Write(string path, string content)
    {
        var full = Path.Combine(_root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
    }
}
