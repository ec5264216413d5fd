using System.Text.Json;
using BuildFarm.IntegrationTests.Fixtures;
using BuildFarm.Protos.V1;

namespace BuildFarm.IntegrationTests.Runs;

/// <summary>
/// A worker that cannot create a job's workspace (its work root is a file, as on a full or read-only disk) fails that
/// job with the reason and stays healthy: it keeps heartbeating and claiming.
/// Worker labels send the job to exactly that worker.
/// </summary>
public sealed class BadWorkspaceTests(FarmFixture farm) : IClassFixture<FarmFixture>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private const string Spec = "version: 0.2\nphases:\n  build:\n    commands:\n      - echo should not run\n";

    [Fact]
    public async Task A_job_whose_workspace_cannot_be_made_fails_saying_why_and_the_worker_stays_healthy()
    {
        // FarmFixture roots each worker at WorkRoot/ID: a file there leaves no directory to make.
        await File.WriteAllTextAsync(Path.Combine(farm.WorkRoot, "worker-broken-disk"), "not a directory");
        await farm.StartWorkerAsync("worker-broken-disk", Wait.Up(Limit), ["broken-disk"]);
        await farm.Client.ApplyPipelineAsync("on-broken-disk", Spec, "buildspec.yml", ["broken-disk"], Wait.Up(Limit));

        var queued = await farm.Client.TriggerRunAsync("on-broken-disk", cancellationToken: Wait.Up(Limit));
        var run = await farm.Client.WaitForRunAsync(queued.Id, TimeSpan.FromMilliseconds(50), Wait.Up(Limit));

        Assert.Equal(RunStatus.Failed, run.Status);
        var job = Assert.Single(run.Jobs);
        Assert.Equal("worker-broken-disk", job.WorkerId);
        Assert.StartsWith("cannot create the workspace: ", job.Reason, StringComparison.Ordinal);
        var log = System.Text.Encoding.UTF8.GetString(await farm.Client.GetLogAsync(queued.Id, Wait.Up(Limit)));
        Assert.Contains("Cannot create the workspace under", log, StringComparison.Ordinal);

        // Still heartbeating with its slot given back, and still claiming: the next job fails the same way, not by a lost lease.
        await Wait.UntilAsync(async () =>
        {
            using var workers = JsonDocument.Parse(await farm.Http.GetStringAsync("/api/workers", Wait.Up(Limit)));
            return workers.RootElement.EnumerateArray().Any(w =>
                w.GetProperty("id").GetString() == "worker-broken-disk" && w.GetProperty("alive").GetBoolean() && w.GetProperty("runningJobs").GetInt32() == 0);
        }, TimeSpan.FromSeconds(20), "worker-broken-disk to be alive with no job");
        var again = await farm.Client.TriggerRunAsync("on-broken-disk", cancellationToken: Wait.Up(Limit));
        var second = await farm.Client.WaitForRunAsync(again.Id, TimeSpan.FromMilliseconds(50), Wait.Up(Limit));
        Assert.Equal(RunStatus.Failed, second.Status);
        Assert.Equal(1, second.Jobs[0].Attempt);
        Assert.StartsWith("cannot create the workspace: ", second.Jobs[0].Reason, StringComparison.Ordinal);
    }
}
