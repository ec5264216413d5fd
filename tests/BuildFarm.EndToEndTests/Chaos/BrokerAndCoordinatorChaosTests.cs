using System.Diagnostics;
using Xunit.Abstractions;
using static BuildFarm.EndToEndTests.Chaos.ChaosSteps;

namespace BuildFarm.EndToEndTests.Chaos;

/// <summary>
/// The farm's shared infrastructure disturbed: the broker goes away and comes back, and two
/// coordinators share one database and broker. Count files prove each build ran exactly once.
/// </summary>
[Collection(ChaosCollection.Name)]
public sealed class BrokerAndCoordinatorChaosTests(ChaosFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Runs_survive_a_broker_restart_mid_job_and_a_trigger_during_the_outage_each_executing_once()
    {
        var clock = Stopwatch.StartNew();
        using var scenario = new CancellationTokenSource(ChaosSettings.ScenarioTimeout);
        var ct = scenario.Token;
        // Its own node: stopping the shared one would pull the broker from under every other test.
        await using var broker = await ThrowawayBroker.StartAsync(ct);
        await using var farm = await Farm.CreateOnBrokerAsync(fixture, "broker-restart", ChaosSettings.BrokerLeaseSeconds, broker.Uri, ct);
        var countBefore = Path.Combine(farm.Directory, "count-before");
        var countDuring = Path.Combine(farm.Directory, "count-during");
        farm.StartWorker("worker-1");
        await farm.StartCoordinatorAsync(ct);
        await farm.Client.PutPipelineAsync(Pipeline, Buildspec(ChaosSettings.BuildSleepSeconds), ct);
        var bootedAt = clock.Elapsed;

        var before = await farm.Client.TriggerAsync(Pipeline, new Dictionary<string, string> { ["COUNT"] = countBefore }, ct);
        await WaitForLinesAsync(countBefore, 1, farm, ct);
        await broker.StopAsync(ct);
        var stoppedAt = clock.Elapsed;
        // The trigger commits the run and its RunJob to the outbox; only the dispatch waits for the broker.
        var during = await farm.Client.TriggerAsync(Pipeline, new Dictionary<string, string> { ["COUNT"] = countDuring }, ct);
        await Task.Delay(ChaosSettings.BrokerOutage, ct);
        var ranWithoutBroker = File.Exists(countDuring);
        await broker.RestartAsync(ct);
        var restartedAt = clock.Elapsed;

        var first = await farm.Client.WaitForRunAsync(before, r => r.IsFinal, ChaosSettings.RunFinishTimeout, () => farm.Describe() + broker.Describe(), ct);
        var second = await farm.Client.WaitForRunAsync(during, r => r.IsFinal, ChaosSettings.RunFinishTimeout, () => farm.Describe() + broker.Describe(), ct);
        var finishedAt = clock.Elapsed;

        Assert.False(ranWithoutBroker, "the run triggered during the outage started before the broker was back");
        foreach (var (run, count) in new[] { (first, countBefore), (second, countDuring) })
        {
            var log = await farm.Client.GetLogAsync(run.Id, ct);
            var context = $"{run}\n{log}\n{farm.Describe()}";
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
            Assert.DoesNotContain("lost", log, StringComparison.Ordinal);
        }

        Report(clock, $"farm up at {bootedAt.TotalSeconds:F1} s, broker stopped at {stoppedAt.TotalSeconds:F1} s, " +
            $"answering again at {restartedAt.TotalSeconds:F1} s, both runs final at {finishedAt.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task Two_coordinators_on_one_database_and_broker_run_every_job_exactly_once_and_serve_each_others_logs()
    {
        var clock = Stopwatch.StartNew();
        using var scenario = new CancellationTokenSource(ChaosSettings.ScenarioTimeout);
        var ct = scenario.Token;
        await using var farm = await Farm.CreateAsync(fixture, "two-coordinators", ChaosSettings.LeaseSeconds, ct);
        farm.StartWorker("worker-1");
        farm.StartWorker("worker-2", toSecondCoordinator: true);
        // One after the other: both apply migrations on start, and that is not what this scenario tests.
        await farm.StartCoordinatorAsync(ct);
        await farm.StartSecondCoordinatorAsync(ct);
        await farm.Client.PutPipelineAsync(Pipeline, Buildspec(sleepSeconds: 0), ct);
        FarmClient[] coordinators = [farm.Client, farm.SecondClient];

        var runs = new List<(Guid Id, int TriggeredOn, string Count)>();
        for (var i = 0; i < ChaosSettings.TwoCoordinatorRuns; i++)
        {
            var count = Path.Combine(farm.Directory, $"count-{i}");
            var id = await coordinators[i % 2].TriggerAsync(Pipeline, new Dictionary<string, string> { ["COUNT"] = count }, ct);
            runs.Add((id, i % 2, count));
        }

        var triggeredAt = clock.Elapsed;
        var workers = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (id, triggeredOn, count) in runs)
        {
            // Everything about the run is read from the coordinator that did not trigger it.
            var other = coordinators[1 - triggeredOn];
            var run = await other.WaitForRunAsync(id, r => r.IsFinal, ChaosSettings.RunFinishTimeout, farm.Describe, ct);
            var log = await other.GetLogAsync(id, ct);
            var context = $"run {id} triggered on coordinator {triggeredOn + 1}: {run}\n{log}\n{farm.Describe()}";
            Assert.True(run is { Status: "Succeeded", Job: { Status: "Succeeded", Attempt: 1, ExitCode: 0, Reason: null, WorkerId: "worker-1" or "worker-2" } }, context);
            Assert.Equal(["started attempt 1"], await File.ReadAllLinesAsync(count, ct));
            AssertInOrder(
                log,
                $"[buildfarm] Job {run.Job.Id} attempt 1 of {Pipeline}@1 on worker {run.Job.WorkerId}\n",
                "attempt 1 is running\n",
                "attempt 1 is done\n",
                "[buildfarm] Job SUCCEEDED\n");
            Assert.EndsWith("[buildfarm] Job SUCCEEDED\n", log, StringComparison.Ordinal);
            workers[run.Job.WorkerId!] = workers.GetValueOrDefault(run.Job.WorkerId!) + 1;
        }

        Report(clock, $"{runs.Count} runs triggered by {triggeredAt.TotalSeconds:F1} s; jobs per worker: " +
            string.Join(", ", workers.OrderBy(w => w.Key, StringComparer.Ordinal).Select(w => $"{w.Key} {w.Value}")));
    }

    private void Report(Stopwatch clock, string detail) =>
        output.WriteLine($"scenario took {clock.Elapsed.TotalSeconds:F1} s ({detail})");
}
