using System.Diagnostics;
using Xunit.Abstractions;
using static BuildFarm.EndToEndTests.Chaos.ChaosSteps;

namespace BuildFarm.EndToEndTests.Chaos;

/// <summary>
/// A worker asked to stop (SIGTERM, as an orchestrator or `systemctl stop` does) rather than killed:
/// JobDrain lets the running job finish within Worker:DrainSeconds, then cancels it or hands it back.
/// </summary>
[Collection(ChaosCollection.Name)]
public sealed class WorkerShutdownChaosTests(ChaosFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task A_worker_sent_SIGTERM_mid_job_finishes_the_job_within_its_drain_then_exits_by_itself()
    {
        var clock = Stopwatch.StartNew();
        using var scenario = new CancellationTokenSource(ChaosSettings.ScenarioTimeout);
        var ct = scenario.Token;
        await using var farm = await Farm.CreateAsync(fixture, "long-drain", ChaosSettings.LeaseSeconds, ct);
        var count = Path.Combine(farm.Directory, "count");
        var worker = farm.StartWorker("worker-1", drainSeconds: ChaosSettings.LongDrainSeconds);
        await farm.StartCoordinatorAsync(ct);
        await farm.Client.PutPipelineAsync(Pipeline, Buildspec(ChaosSettings.BuildSleepSeconds), ct);

        var runId = await farm.Client.TriggerAsync(Pipeline, new Dictionary<string, string> { ["COUNT"] = count }, ct);
        await WaitForLinesAsync(count, 1, farm, ct);
        await worker.TerminateAsync(ct);
        var terminatedAt = clock.Elapsed;
        var exitCode = await worker.WaitForExitAsync(ChaosSettings.GracefulExitTimeout, ct);
        var exitedAt = clock.Elapsed;

        var run = await farm.Client.WaitForRunAsync(runId, r => r.IsFinal, ChaosSettings.RunFinishTimeout, farm.Describe, ct);
        var log = await farm.Client.GetLogAsync(runId, ct);
        var context = $"SIGTERM at {terminatedAt}, exited at {exitedAt}: {run}\n{log}\n{farm.Describe()}";
        Assert.True(exitCode == 0, context);
        Assert.True(run is { Status: "Succeeded", Job: { Status: "Succeeded", Attempt: 1, WorkerId: "worker-1", ExitCode: 0, Reason: null } }, context);
        Assert.Equal(["started attempt 1"], await File.ReadAllLinesAsync(count, ct));
        AssertInOrder(
            log,
            $"[buildfarm] Job {run.Job.Id} attempt 1 of {Pipeline}@1 on worker worker-1\n",
            "attempt 1 is running\n",
            "attempt 1 is done\n",
            "[buildfarm] Phase complete: BUILD State: SUCCEEDED\n",
            "[buildfarm] Job SUCCEEDED\n");
        Assert.EndsWith("[buildfarm] Job SUCCEEDED\n", log, StringComparison.Ordinal);
        Report(clock, $"SIGTERM at {terminatedAt.TotalSeconds:F1} s, worker exited {exitCode} at {exitedAt.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task A_worker_sent_SIGTERM_with_a_short_drain_cancels_the_running_job_and_exits()
    {
        var clock = Stopwatch.StartNew();
        using var scenario = new CancellationTokenSource(ChaosSettings.ScenarioTimeout);
        var ct = scenario.Token;
        await using var farm = await Farm.CreateAsync(fixture, "short-drain", ChaosSettings.LeaseSeconds, ct);
        var count = Path.Combine(farm.Directory, "count");
        var worker = farm.StartWorker("worker-1", drainSeconds: ChaosSettings.ShortDrainSeconds);
        await farm.StartCoordinatorAsync(ct);
        await farm.Client.PutPipelineAsync(Pipeline, Buildspec(ChaosSettings.BuildSleepSeconds), ct);

        var runId = await farm.Client.TriggerAsync(Pipeline, new Dictionary<string, string> { ["COUNT"] = count }, ct);
        await WaitForLinesAsync(count, 1, farm, ct);
        await worker.TerminateAsync(ct);
        var terminatedAt = clock.Elapsed;
        // A second worker is up before the first one has gone, so a job handed back would run again here.
        farm.StartWorker("worker-2");
        var exitCode = await worker.WaitForExitAsync(ChaosSettings.GracefulExitTimeout, ct);
        var exitedAt = clock.Elapsed;

        var run = await farm.Client.WaitForRunAsync(runId, r => r.IsFinal, ChaosSettings.RunFinishTimeout, farm.Describe, ct);
        // Past a lease: a job wrongly left Running or handed back would show by now.
        await Task.Delay(TimeSpan.FromSeconds(ChaosSettings.LeaseSeconds + ChaosSettings.SweepSeconds), ct);
        var settled = await farm.Client.GetRunAsync(runId, ct);
        var log = await farm.Client.GetLogAsync(runId, ct);
        var context = $"SIGTERM at {terminatedAt}, exited at {exitedAt}: {run}, later {settled}\n{log}\n{farm.Describe()}";
        Assert.True(exitCode == 0, context);
        Assert.True(run is { Status: "Cancelled", Job: { Status: "Cancelled", Attempt: 1, WorkerId: "worker-1" } }, context);
        Assert.True(settled.ToString() == run.ToString(), context);
        Assert.Equal(["started attempt 1"], await File.ReadAllLinesAsync(count, ct));
        AssertInOrder(
            log,
            $"[buildfarm] Job {run.Job.Id} attempt 1 of {Pipeline}@1 on worker worker-1\n",
            "attempt 1 is running\n");
        Assert.DoesNotContain("attempt 1 is done", log, StringComparison.Ordinal);
        Report(clock, $"SIGTERM at {terminatedAt.TotalSeconds:F1} s, worker exited {exitCode} at {exitedAt.TotalSeconds:F1} s; {run}");
    }

    [Fact]
    public async Task A_worker_sent_SIGTERM_with_a_short_drain_and_HandBack_gives_the_job_back_and_it_runs_again_elsewhere()
    {
        var clock = Stopwatch.StartNew();
        using var scenario = new CancellationTokenSource(ChaosSettings.ScenarioTimeout);
        var ct = scenario.Token;
        // The production lease: the job must come back because it was handed back, not because a lease lapsed.
        await using var farm = await Farm.CreateAsync(fixture, "hand-back", ChaosSettings.BrokerLeaseSeconds, ct);
        var count = Path.Combine(farm.Directory, "count");
        var worker = farm.StartWorker("worker-1", drainSeconds: ChaosSettings.ShortDrainSeconds, drainTimeoutAction: "HandBack");
        await farm.StartCoordinatorAsync(ct);
        await farm.Client.PutPipelineAsync(Pipeline, Buildspec(ChaosSettings.BuildSleepSeconds), ct);

        var runId = await farm.Client.TriggerAsync(Pipeline, new Dictionary<string, string> { ["COUNT"] = count }, ct);
        await WaitForLinesAsync(count, 1, farm, ct);
        await worker.TerminateAsync(ct);
        var terminatedAt = clock.Elapsed;
        farm.StartWorker("worker-2");
        var exitCode = await worker.WaitForExitAsync(ChaosSettings.GracefulExitTimeout, ct);
        var exitedAt = clock.Elapsed;

        var run = await farm.Client.WaitForRunAsync(runId, r => r.IsFinal, ChaosSettings.RunFinishTimeout, farm.Describe, ct);
        var finishedAt = clock.Elapsed;
        var log = await farm.Client.GetLogAsync(runId, ct);
        var context = $"SIGTERM at {terminatedAt}, exited at {exitedAt}: {run}\n{log}\n{farm.Describe()}";
        Assert.True(exitCode == 0, context);
        Assert.True(run is { Status: "Succeeded", Job: { Status: "Succeeded", Attempt: 2, WorkerId: "worker-2", ExitCode: 0, Reason: null } }, context);
        Assert.Equal(["started attempt 1", "started attempt 2"], await File.ReadAllLinesAsync(count, ct));
        AssertInOrder(
            log,
            "attempt 1 is running\n",
            "[buildfarm] worker worker-1 is shutting down: attempt 1 stopped and handed back to the coordinator\n",
            "attempt 1 lost: worker worker-1 shut down and handed the attempt back; retrying as attempt 2 of 2\n",
            $"[buildfarm] Job {run.Job.Id} attempt 2 of {Pipeline}@1 on worker worker-2\n",
            "attempt 2 is done\n",
            "[buildfarm] Job SUCCEEDED\n");
        Assert.DoesNotContain("attempt 1 is done", log, StringComparison.Ordinal);
        Report(clock, $"SIGTERM at {terminatedAt.TotalSeconds:F1} s, worker-1 exited {exitCode} at {exitedAt.TotalSeconds:F1} s, run final at {finishedAt.TotalSeconds:F1} s");
    }

    private void Report(Stopwatch clock, string detail) =>
        output.WriteLine($"scenario took {clock.Elapsed.TotalSeconds:F1} s ({detail})");
}
