extern alias coordinator;

using BuildFarm.IntegrationTests.Fixtures;
using BuildFarm.IntegrationTests.Runs;
using coordinator::BuildFarm.Coordinator.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using RunStatus = BuildFarm.Core.Runs.RunStatus;

namespace BuildFarm.IntegrationTests.Pipelines;

/// <summary>A farm whose worker has four slots, so executions of one pipeline can run side by side when their mode lets them.</summary>
public sealed class ExecutionModesFarmFixture : FarmFixture
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Worker:Slots"] = "4";
        settings["Scheduling:SweepSeconds"] = "1";
    }
}

/// <summary>
/// Execution modes with concurrent signed pushes on the distributed farm (real PostgreSQL, RabbitMQ, git over
/// file://). A build action holds the Build stage until the test releases it, so the other pushes meet it there.
/// </summary>
public sealed class ExecutionModeTests(ExecutionModesFarmFixture farm) : IClassFixture<ExecutionModesFarmFixture>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);
    private const string Secret = "execution-mode-secret";

    [Fact]
    public async Task Superseded_mode_lets_the_newest_waiting_push_in_and_records_every_replaced_one_as_superseded()
    {
        await using var setup = await SetUpAsync("modes-superseded", "SUPERSEDED");
        var first = await SignedPush.RunAsync(farm.Http, setup.Pipeline, Secret, setup.Commits[0], Wait.Up(Limit));
        await WaitForAsync(first, "Hold", RunStatus.Running, "the first push to hold the Build stage");

        // Three pushes at once while the first execution holds Build.
        var others = await Task.WhenAll(setup.Commits.Skip(1).Select(c => SignedPush.RunAsync(farm.Http, setup.Pipeline, Secret, c, Wait.Up(Limit))));
        var newest = (await LoadAsync(others)).OrderBy(r => r.CreatedAt).ThenBy(r => r.Id).Last();
        await Wait.UntilAsync(async () =>
        {
            var runs = await LoadAsync(others);
            return runs.Count(r => r.Status == RunStatus.Superseded) == 2
                && runs.Single(r => r.Id == newest.Id).Jobs.Single(j => j.Name == "Checkout").Status == RunStatus.Succeeded;
        }, Limit, "two of the three pushes to be superseded and the newest to wait in front of Build");

        // The first execution was never interrupted: it still holds Build; the newest waits in front of it.
        Assert.Equal(RunStatus.Running, Job(await LoadAsync(first), "Hold").Status);
        Assert.Equal(RunStatus.Waiting, Job(await LoadAsync(newest.Id), "Hold").Status);
        Release(setup);
        await WaitFinalAsync([first, .. others]);

        var all = await LoadAsync([first, .. others]);
        Assert.Equal(RunStatus.Succeeded, all.Single(r => r.Id == first).Status);
        Assert.Equal(RunStatus.Succeeded, all.Single(r => r.Id == newest.Id).Status);
        foreach (var replaced in all.Where(r => r.Id != first && r.Id != newest.Id))
        {
            // Recorded, never dropped: Superseded, naming a newer execution, with no Build or later action ever started.
            Assert.Equal(RunStatus.Superseded, replaced.Status);
            var by = System.Text.RegularExpressions.Regex.Match(replaced.Reason ?? "", "^superseded by execution ([0-9a-f-]{36}) while waiting to enter stage '(Source|Build)'$");
            Assert.True(by.Success, replaced.Reason);
            var replacer = all.Single(r => r.Id == Guid.Parse(by.Groups[1].Value));
            Assert.True(replacer.CreatedAt > replaced.CreatedAt || (replacer.CreatedAt == replaced.CreatedAt && replacer.Id.CompareTo(replaced.Id) > 0));
            Assert.All(replaced.Jobs.Where(j => j.Name != "Checkout"), j => Assert.Equal((RunStatus.Superseded, (DateTimeOffset?)null), (j.Status, j.StartedAt)));
            Assert.Contains(Job(replaced, "Checkout").Status, new[] { RunStatus.Succeeded, RunStatus.Superseded });
            Assert.NotNull(replaced.FinishedAt);
        }
        AssertOneAtATime(all, "Checkout");
        AssertOneAtATime(all, "Hold");
        AssertOneAtATime(all, "Done");
    }

    [Fact]
    public async Task Queued_mode_runs_every_push_stage_by_stage_in_the_order_they_came()
    {
        await using var setup = await SetUpAsync("modes-queued", "QUEUED");
        var first = await SignedPush.RunAsync(farm.Http, setup.Pipeline, Secret, setup.Commits[0], Wait.Up(Limit));
        await WaitForAsync(first, "Hold", RunStatus.Running, "the first push to hold the Build stage");

        var others = await Task.WhenAll(setup.Commits.Skip(1).Select(c => SignedPush.RunAsync(farm.Http, setup.Pipeline, Secret, c, Wait.Up(Limit))));
        await Wait.UntilAsync(async () => (await LoadAsync(others)).All(r => Job(r, "Checkout").Status == RunStatus.Succeeded),
            Limit, "the three pushes to pass Source one after another and wait in front of Build");
        Assert.All(await LoadAsync(others), r => Assert.Equal(RunStatus.Waiting, Job(r, "Hold").Status));
        Release(setup);
        await WaitFinalAsync([first, .. others]);

        var all = (await LoadAsync([first, .. others])).OrderBy(r => r.CreatedAt).ThenBy(r => r.Id).ToList();
        Assert.All(all, r => Assert.Equal(RunStatus.Succeeded, r.Status));
        // In order of arrival through every stage, one execution per stage at a time.
        foreach (var action in new[] { "Checkout", "Hold", "Done" })
        {
            Assert.Equal(all.Select(r => r.Id), all.OrderBy(r => Job(r, action).StartedAt).Select(r => r.Id));
            AssertOneAtATime(all, action);
        }
    }

    [Fact]
    public async Task Parallel_mode_runs_pushes_side_by_side()
    {
        await using var setup = await SetUpAsync("modes-parallel", "PARALLEL");
        var first = await SignedPush.RunAsync(farm.Http, setup.Pipeline, Secret, setup.Commits[0], Wait.Up(Limit));
        await WaitForAsync(first, "Hold", RunStatus.Running, "the first push to hold its build");

        var second = await SignedPush.RunAsync(farm.Http, setup.Pipeline, Secret, setup.Commits[1], Wait.Up(Limit));

        await WaitForAsync(second, "Hold", RunStatus.Running, "the second push's build to run beside the first");
        Assert.Equal(RunStatus.Running, Job(await LoadAsync(first), "Hold").Status);
        Release(setup);
        await WaitFinalAsync([first, second]);
        Assert.All(await LoadAsync([first, second]), r => Assert.Equal(RunStatus.Succeeded, r.Status));
    }

    private async Task<Setup> SetUpAsync(string pipeline, string mode)
    {
        var repository = GitRepository.Create();
        var gate = Directory.CreateTempSubdirectory("bf-it-gate-").FullName;
        var commits = new List<string> { repository.Commit("one", ("hold.yml", TestPipelines.HoldSpec), ("done.yml", TestPipelines.DoneSpec)) };
        for (var i = 2; i <= 4; i++)
        {
            commits.Add(repository.Commit($"push {i}", ("version.txt", $"{i}\n")));
        }
        await SignedPush.StoreSecretAsync(farm.Http, pipeline, Secret, Wait.Up(Limit));
        await farm.Client.ApplyPipelineAsync(pipeline, TestPipelines.Holding(repository, gate, mode), "pipeline.yml", Wait.Up(Limit));
        return new Setup(pipeline, repository, gate, commits);
    }

    private static void Release(Setup setup) => File.WriteAllText(Path.Combine(setup.Gate, "release"), "go\n");

    private static Job Job(Run run, string action) => run.Jobs.Single(j => j.Name == action);

    /// <summary>No two executions ran <paramref name="action"/> (the only action of its stage) at the same time.</summary>
    private static void AssertOneAtATime(IEnumerable<Run> runs, string action)
    {
        var spans = runs.Select(r => Job(r, action)).Where(j => j.StartedAt is not null).OrderBy(j => j.StartedAt).ToList();
        for (var i = 1; i < spans.Count; i++)
        {
            Assert.True(spans[i].StartedAt >= spans[i - 1].FinishedAt,
                $"{action}: an execution started at {spans[i].StartedAt:O} while another ran until {spans[i - 1].FinishedAt:O}");
        }
    }

    private async Task WaitForAsync(Guid runId, string action, RunStatus status, string what) =>
        await Wait.UntilAsync(async () => Job(await LoadAsync(runId), action).Status == status, Limit, what);

    private async Task WaitFinalAsync(IReadOnlyCollection<Guid> runs) =>
        await Wait.UntilAsync(async () => (await LoadAsync(runs)).All(r => r.Status is RunStatus.Succeeded or RunStatus.Failed or RunStatus.Cancelled or RunStatus.Superseded),
            Limit, "every execution to finish");

    private async Task<Run> LoadAsync(Guid runId) => (await LoadAsync([runId])).Single();

    private async Task<List<Run>> LoadAsync(IReadOnlyCollection<Guid> runIds)
    {
        await using var scope = farm.OpenDatabase(out var db);
        return await db.Runs.AsNoTracking().Include(r => r.Jobs).Where(r => runIds.Contains(r.Id)).ToListAsync();
    }

    private sealed record Setup(string Pipeline, GitRepository Repository, string Gate, IReadOnlyList<string> Commits) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            // Released in any case, so a failed test leaves no build waiting.
            await File.WriteAllTextAsync(Path.Combine(Gate, "release"), "go\n");
            Repository.Dispose();
        }
    }
}
