using System.Text;
using BuildFarm.Protos.V1;
using BuildFarm.IntegrationTests.Runs;
using BuildFarm.IntegrationTests.Scenarios;

namespace BuildFarm.IntegrationTests.Caching;

/// <summary>
/// The cache as a buildspec sees it, on the embedded farm (file-system store): the key is
/// shell-evaluated, the job log says hit / fallback hit / miss, only the default branch saves,
/// and <c>action</c> makes a run restore-only or save-only.
/// </summary>
public sealed class CacheJobTests(EmbeddedFarmFixture farm) : IClassFixture<EmbeddedFarmFixture>
{
    private const string EmptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    // The farm's store is shared by the tests of this class: each names its keys after itself.
    private static string Buildspec(string name, string extra = "") => $$"""
        version: 0.2
        phases:
          build:
            commands:
              - if [ -f ~/.m2/repo/dep.jar ]; then echo "restored=$(cat ~/.m2/repo/dep.jar)"; else echo "downloading"; mkdir -p ~/.m2/repo; echo "jar $DEPS" > ~/.m2/repo/dep.jar; fi
        cache:
          key: {{name}}-$DEPS-$(codebuild-hash-files 'nothing/**/*.lock')
          paths:
            - /root/.m2/**/*
        {{extra}}
        """;

    [Fact]
    public async Task The_next_run_restores_what_a_run_saved_and_a_new_key_falls_back_by_prefix()
    {
        var pipeline = await ApplyAsync("cache-keys", Buildspec("deps", "  fallback-keys:\n    - deps-\n"));

        var first = await RunAsync(pipeline, ("DEPS", "1"));
        Assert.Contains($"cache key deps-1-{EmptyHash}: miss", first);
        Assert.Contains("downloading", first);
        Assert.Contains($"cache key deps-1-{EmptyHash}: saved 1 files", first);

        var second = await RunAsync(pipeline, ("DEPS", "1"));
        Assert.Contains($"cache key deps-1-{EmptyHash}: hit (1 files", second);
        Assert.Contains("restored=jar 1", second);
        Assert.Contains("not saved (restored from this very key", second);

        var third = await RunAsync(pipeline, ("DEPS", "2"));
        Assert.Contains($"cache key deps-2-{EmptyHash}: fallback hit on deps-1-{EmptyHash}", third);
        Assert.Contains("restored=jar 1", third);
        Assert.Contains($"cache key deps-2-{EmptyHash}: saved 1 files", third);
    }

    [Fact]
    public async Task Only_the_default_branch_saves_other_branches_restore()
    {
        var pipeline = await ApplyAsync("cache-branches", Buildspec("branch"));

        var feature = await RunAsync(pipeline, ("DEPS", "1"), ("CODEBUILD_WEBHOOK_HEAD_REF", "refs/heads/feature"));
        Assert.Contains("not saved (branch feature is not the default branch main)", feature);

        var main = await RunAsync(pipeline, ("DEPS", "1"), ("CODEBUILD_WEBHOOK_HEAD_REF", "refs/heads/main"));
        Assert.Contains($"cache key branch-1-{EmptyHash}: miss", main);
        Assert.Contains("saved 1 files", main);

        var later = await RunAsync(pipeline, ("DEPS", "1"), ("CODEBUILD_WEBHOOK_HEAD_REF", "refs/heads/feature"));
        Assert.Contains($"cache key branch-1-{EmptyHash}: hit", later);
    }

    [Fact]
    public async Task Restore_only_runs_never_save_and_save_only_runs_never_restore()
    {
        var reader = await ApplyAsync("cache-reader", Buildspec("shared", "  action: restore\n"));
        var warmer = await ApplyAsync("cache-warmer", Buildspec("shared", "  action: save\n"));

        var cold = await RunAsync(reader, ("DEPS", "7"));
        Assert.Contains("miss", cold);
        Assert.Contains("not saved (action: restore)", cold);

        var warm = await RunAsync(warmer, ("DEPS", "7"));
        Assert.Contains("not restored (action: save)", warm);
        Assert.Contains("saved 1 files", warm);

        var hot = await RunAsync(reader, ("DEPS", "7"));
        Assert.Contains("restored=jar 7", hot);
        Assert.Contains("not saved (action: restore)", hot);
    }

    private async Task<string> ApplyAsync(string name, string definition)
    {
        var pipeline = $"{name}-{Guid.NewGuid():N}"[..30];
        await farm.Client.ApplyPipelineAsync(pipeline, definition, "buildspec.yml", Wait.Up(TimeSpan.FromSeconds(60)));
        return pipeline;
    }

    private async Task<string> RunAsync(string pipeline, params (string Name, string Value)[] variables)
    {
        var limit = Wait.Up(TimeSpan.FromSeconds(60));
        var run = await farm.Client.TriggerRunAsync(pipeline, variables.ToDictionary(v => v.Name, v => v.Value), cancellationToken: limit);
        var final = await farm.Client.WaitForRunAsync(run.Id, TimeSpan.FromMilliseconds(50), limit);
        var log = Encoding.UTF8.GetString(await farm.Client.GetLogAsync(run.Id, limit));
        Assert.True(final.Status == RunStatus.Succeeded, $"{final.Status}: {final.Reason}\n{log}");
        return log;
    }
}
