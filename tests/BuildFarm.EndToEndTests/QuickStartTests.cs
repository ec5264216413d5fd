namespace BuildFarm.EndToEndTests;

/// <summary>The README's quick start, exactly as written, plus `run` and `validate` on real files.</summary>
[Collection(CliCollection.Name)]
public sealed class QuickStartTests : IDisposable
{
    // The first call builds the CLI (Release), which takes minutes on a busy 2-core machine.
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);
    private readonly string _home = Directory.CreateTempSubdirectory("bf-e2e-").FullName;

    [Fact]
    public async Task Buildfarm_demo_runs_the_sample_pipeline_end_to_end_and_exits_zero()
    {
        var (exit, stdout, stderr) = await Launcher.RunAsync(_home, Limit, "demo");

        Assert.True(exit == 0, $"exit {exit}\n{stdout}\n{stderr}");
        Assert.Contains("hello from BuildFarm, building in", stdout, StringComparison.Ordinal);
        Assert.Contains("a warning on stderr", stderr, StringComparison.Ordinal);
        Assert.Contains("[buildfarm] Phase complete: POST_BUILD State: SUCCEEDED", stdout, StringComparison.Ordinal);
        Assert.Matches(@"Run [0-9a-f-]{36} of demo@\d+: SUCCEEDED", stdout);
    }

    [Fact]
    public async Task Buildfarm_run_exits_non_zero_when_the_build_fails()
    {
        var file = Path.Combine(_home, "failing", "buildspec.yml");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, "version: 0.2\nphases:\n  build:\n    commands:\n      - echo about to fail\n      - exit 3\n");

        var (exit, stdout, _) = await Launcher.RunAsync(_home, Limit, "run", file);

        Assert.Equal(1, exit);
        Assert.Contains("about to fail", stdout, StringComparison.Ordinal);
        Assert.Contains("FAILED", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Buildfarm_validate_prints_file_line_column_and_exits_non_zero_on_errors()
    {
        var file = Path.Combine(_home, "buildspec.yml");
        await File.WriteAllTextAsync(file, "version: 0.2\nphases:\n  pre-build:\n    commands:\n      - true\n");

        var (exit, stdout, _) = await Launcher.RunAsync(_home, Limit, "validate", file);

        Assert.Equal(1, exit);
        Assert.Contains($"{file}:3:3: error:", stdout, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_home, recursive: true);
}
