using BuildFarm.IntegrationTests.Fixtures;
using BuildFarm.Protos.V1;

namespace BuildFarm.IntegrationTests.Runs;

/// <summary>
/// A worker stopped (SIGTERM) while a delivery waits for one of its slots sends that delivery back unclaimed, so the
/// job runs later instead of staying Queued (a consume cancelled by the bus stopping is retried, then dead-lettered).
/// Labels keep both jobs on the one worker under test, so the second one has to wait for its slot.
/// </summary>
public sealed class DrainHandBackTests(FarmFixture farm) : IClassFixture<FarmFixture>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_delivery_waiting_for_a_slot_when_the_worker_drains_is_sent_back_and_runs_after_the_restart()
    {
        var worker = await farm.StartWorkerAsync("worker-draining", Wait.Up(Limit), ["drain-test"]);
        await farm.Client.ApplyPipelineAsync("drain-long", "version: 0.2\nphases:\n  build:\n    commands:\n      - sleep 4\n", "buildspec.yml", ["drain-test"], Wait.Up(Limit));
        await farm.Client.ApplyPipelineAsync("drain-next", "version: 0.2\nphases:\n  build:\n    commands:\n      - echo next\n", "buildspec.yml", ["drain-test"], Wait.Up(Limit));
        var first = await farm.Client.TriggerRunAsync("drain-long", cancellationToken: Wait.Up(Limit));
        await Wait.UntilAsync(async () => (await farm.Client.GetRunAsync(first.Id, Wait.Up(Limit))).Status == RunStatus.Running, TimeSpan.FromSeconds(30), "the long run to start");
        var second = await farm.Client.TriggerRunAsync("drain-next", cancellationToken: Wait.Up(Limit));
        // Sent to the worker, whose only slot is taken: the delivery waits in the worker for it.
        await Wait.UntilAsync(async () => (await farm.Client.GetRunAsync(second.Id, Wait.Up(Limit))).Jobs[0].Reason.StartsWith("waiting for worker worker-draining", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20), "the second job to be sent to the worker");

        await worker.StopAsync(Wait.Up(Limit)); // drains: the long job finishes, the waiting delivery goes back
        Assert.Equal(RunStatus.Succeeded, (await farm.Client.GetRunAsync(first.Id, Wait.Up(Limit))).Status);
        Assert.Equal(RunStatus.Queued, (await farm.Client.GetRunAsync(second.Id, Wait.Up(Limit))).Status);

        await farm.StartWorkerAsync("worker-draining", Wait.Up(Limit), ["drain-test"]);
        var run = await farm.Client.WaitForRunAsync(second.Id, TimeSpan.FromMilliseconds(50), Wait.Up(Limit));
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal("worker-draining", run.Jobs[0].WorkerId);
        Assert.Equal(1, run.Jobs[0].Attempt);
    }
}
