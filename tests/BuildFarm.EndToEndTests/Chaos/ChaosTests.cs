using System.Diagnostics;
using Xunit.Abstractions;
using static BuildFarm.EndToEndTests.Chaos.ChaosSteps;

namespace BuildFarm.EndToEndTests.Chaos;

/// <summary>
/// The distributed farm as separate OS processes on the real PostgreSQL and RabbitMQ, disturbed the
/// way production is: a worker dies mid-job, the coordinator dies mid-run, a run waits for a worker.
/// Each build appends one line per execution to a count file on the worker side, so the scenarios
/// assert exactly how often the build ran, not just how the run ended.
/// </summary>
[Collection(ChaosCollection.Name)]
public sealed class ChaosTests(ChaosFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task A_worker_killed_mid_job_is_retried_on_another_worker_and_the_log_marks_the_lost_attempt()
    {
        var clock = Stopwatch.StartNew();
        using var scenario = new CancellationTokenSource(ChaosSettings.ScenarioTimeout);
        var ct = scenario.Token;
        await using var farm = await Farm.CreateAsync(fixture, "lost-worker", ChaosSettings.LeaseSeconds, ct);
        var count = Path.Combine(farm.Directory, "count");
        // Workers first: they start while the coordinator does, and retry until it answers.
        FarmProcess[] workers = [farm.StartWorker("worker-1"), farm.StartWorker("worker-2")];
        await farm.StartCoordinatorAsync(ct);
        await farm.Client.PutPipelineAsync(Pipeline, Buildspec(ChaosSettings.BuildSleepSeconds), ct);

        var runId = await farm.Client.TriggerAsync(Pipeline, new Dictionary<string, string> { ["COUNT"] = count }, ct);
        await WaitForLinesAsync(count, 1, farm, ct);
        var startedAt = clock.Elapsed;
        var first = await farm.Client.GetRunAsync(runId, ct);
        // Whichever worker claimed the job is "worker A": it dies like a machine, build steps and all.
        var workerA = workers.Single(w => w.Name == first.Job.WorkerId);
        var workerB = workers.Single(w => w != workerA);
        await workerA.KillAsync();
        var killedAt = clock.Elapsed;

        var run = await farm.Client.WaitForRunAsync(runId, r => r.IsFinal, ChaosSettings.RunFinishTimeout, farm.Describe, ct);
        var log = await farm.Client.GetLogAsync(runId, ct);

        var context = $"{run}\n{log}\n{farm.Describe()}";
        Assert.True(run is { Status: "Succeeded", Job: { Status: "Succeeded", Attempt: 2, ExitCode: 0, Reason: null } }, context);
        Assert.True(run.Job.WorkerId == workerB.Name, context);
        Assert.Equal(["started attempt 1", "started attempt 2"], await File.ReadAllLinesAsync(count, ct));
        var marker = $"[buildfarm] attempt 1 lost: worker {workerA.Name} lost: no heartbeat since ";
        AssertInOrder(
            log,
            $"[buildfarm] Job {run.Job.Id} attempt 1 of {Pipeline}@1 on worker {workerA.Name}\n",
            "attempt 1 is running",
            // The marker starts a line of its own even when the worker died mid-line.
            "\n" + marker,
            $"; retrying as attempt 2 of {ChaosSettings.MaxAttempts}\n",
            $"[buildfarm] Job {run.Job.Id} attempt 2 of {Pipeline}@1 on worker {workerB.Name}\n",
            "attempt 2 is running\n",
            "attempt 2 is done\n",
            "[buildfarm] Job SUCCEEDED\n");
        Assert.EndsWith("[buildfarm] Job SUCCEEDED\n", log, StringComparison.Ordinal);
        Assert.DoesNotContain("attempt 1 is done", log, StringComparison.Ordinal);
        Report(clock, $"build started at {startedAt.TotalSeconds:F1} s, worker killed at {killedAt.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task A_run_survives_a_coordinator_killed_mid_run_and_restarted()
    {
        var clock = Stopwatch.StartNew();
        using var scenario = new CancellationTokenSource(ChaosSettings.ScenarioTimeout);
        var ct = scenario.Token;
        await using var farm = await Farm.CreateAsync(fixture, "lost-coordinator", ChaosSettings.RestartLeaseSeconds, ct);
        var count = Path.Combine(farm.Directory, "count");
        farm.StartWorker("worker-1");
        await farm.StartCoordinatorAsync(ct);
        await farm.Client.PutPipelineAsync(Pipeline, Buildspec(ChaosSettings.BuildSleepSeconds), ct);

        var runId = await farm.Client.TriggerAsync(Pipeline, new Dictionary<string, string> { ["COUNT"] = count }, ct);
        await WaitForLinesAsync(count, 1, farm, ct);
        await farm.Coordinator!.KillAsync();
        var killedAt = clock.Elapsed;
        // Same ports, database and vhost: the worker's heartbeats and log stream find it again.
        await farm.StartCoordinatorAsync(ct);
        var restartedAt = clock.Elapsed;

        var run = await farm.Client.WaitForRunAsync(runId, r => r.IsFinal, ChaosSettings.RunFinishTimeout, farm.Describe, ct);
        var log = await farm.Client.GetLogAsync(runId, ct);

        var context = $"killed {killedAt}, up {restartedAt} (UTC now {DateTime.UtcNow:HH:mm:ss.fff}, clock {clock.Elapsed}) {run}\n{log}\n{farm.Describe()}";
        Assert.True(run is { Status: "Succeeded", Job: { Status: "Succeeded", Attempt: 1, WorkerId: "worker-1", ExitCode: 0 } }, context);
        Assert.Equal(["started attempt 1"], await File.ReadAllLinesAsync(count, ct));
        AssertInOrder(
            log,
            $"[buildfarm] Job {run.Job.Id} attempt 1 of {Pipeline}@1 on worker worker-1\n",
            "attempt 1 is running\n",
            "attempt 1 is done\n",
            "[buildfarm] Phase complete: BUILD State: SUCCEEDED\n",
            "[buildfarm] Job SUCCEEDED\n");
        Assert.EndsWith("[buildfarm] Job SUCCEEDED\n", log, StringComparison.Ordinal);
        Assert.DoesNotContain("lost", log, StringComparison.Ordinal);
        Report(clock, $"coordinator killed at {killedAt.TotalSeconds:F1} s, answering again at {restartedAt.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task A_run_triggered_with_no_worker_stays_queued_then_succeeds_when_a_worker_starts()
    {
        var clock = Stopwatch.StartNew();
        using var scenario = new CancellationTokenSource(ChaosSettings.ScenarioTimeout);
        var ct = scenario.Token;
        await using var farm = await Farm.CreateAsync(fixture, "no-worker", ChaosSettings.LeaseSeconds, ct);
        var count = Path.Combine(farm.Directory, "count");
        await farm.StartCoordinatorAsync(ct);
        await farm.Client.PutPipelineAsync(Pipeline, Buildspec(sleepSeconds: 0), ct);

        var runId = await farm.Client.TriggerAsync(Pipeline, new Dictionary<string, string> { ["COUNT"] = count }, ct);
        var holdUntil = Stopwatch.StartNew();
        var polls = 0;
        while (holdUntil.Elapsed < ChaosSettings.QueuedHold)
        {
            var waiting = await farm.Client.GetRunAsync(runId, ct);
            Assert.True(waiting is { Status: "Queued", Job: { Status: "Queued", Attempt: 1, WorkerId: null } }, $"{waiting}");
            polls++;
            await Task.Delay(ChaosSettings.PollInterval, ct);
        }

        Assert.False(File.Exists(count), "the build ran with no worker up");
        farm.StartWorker("worker-1");
        var run = await farm.Client.WaitForRunAsync(runId, r => r.IsFinal, ChaosSettings.RunFinishTimeout, farm.Describe, ct);
        var log = await farm.Client.GetLogAsync(runId, ct);

        Assert.True(run is { Status: "Succeeded", Job: { Status: "Succeeded", Attempt: 1, WorkerId: "worker-1", ExitCode: 0 } }, $"{run}\n{log}\n{farm.Describe()}");
        Assert.True(polls > 1, "the run was looked at only once while it waited");
        Assert.Equal(["started attempt 1"], await File.ReadAllLinesAsync(count, ct));
        AssertInOrder(log, "attempt 1 is running\n", "attempt 1 is done\n", "[buildfarm] Job SUCCEEDED\n");
        Assert.EndsWith("[buildfarm] Job SUCCEEDED\n", log, StringComparison.Ordinal);
        Report(clock, $"held Queued for {ChaosSettings.QueuedHold.TotalSeconds:F0} s over {polls} polls");
    }

    private void Report(Stopwatch clock, string detail) =>
        output.WriteLine($"scenario took {clock.Elapsed.TotalSeconds:F1} s ({detail})");
}
