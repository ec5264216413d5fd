using BuildFarm.Examples.Automation;
using BuildFarm.IntegrationTests.Fixtures;
using BuildFarm.IntegrationTests.Runs;

namespace BuildFarm.IntegrationTests.Examples;

/// <summary>examples/automation as a user runs it: its producer and its listener against a real farm and broker.</summary>
public sealed class AutomationExampleTests(FarmFixture farm) : IClassFixture<FarmFixture>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_example_producer_gets_its_run_and_result_and_the_listener_sees_the_lifecycle()
    {
        await farm.Client.ApplyPipelineAsync("from-example", "version: 0.2\nphases:\n  build:\n    commands:\n      - echo \"hello $WHO\"\n", cancellationToken: Wait.Up(Limit));
        await farm.Client.ApplyPipelineAsync("example-fails", "version: 0.2\nphases:\n  build:\n    commands:\n      - exit 4\n", cancellationToken: Wait.Up(Limit));
        using var listened = new StringWriter();
        await using var listener = await RunEventsListener.StartAsync(farm.VirtualHost, $"example-events-{Guid.NewGuid():N}", TextWriter.Synchronized(listened), Wait.Up(Limit));

        using var produced = new StringWriter();
        var status = await RunTrigger.TriggerAndWaitAsync(farm.VirtualHost, "from-example", new Dictionary<string, string> { ["WHO"] = "automation" }, produced, Wait.Up(Limit));
        var failed = await RunTrigger.TriggerAndWaitAsync(farm.VirtualHost, "example-fails", new Dictionary<string, string>(), produced, Wait.Up(Limit));
        var unknown = await Assert.ThrowsAnyAsync<Exception>(() => RunTrigger.TriggerAndWaitAsync(farm.VirtualHost, "no-such-pipeline", new Dictionary<string, string>(), produced, Wait.Up(Limit)));

        Assert.Equal("Succeeded", status);
        Assert.Equal("Failed", failed);
        Assert.Contains("no-such-pipeline", unknown.Message, StringComparison.Ordinal);
        var runId = produced.ToString().Split('\n')[0].Split(' ')[2];
        Assert.Contains("hello automation", System.Text.Encoding.UTF8.GetString(await farm.Client.GetLogAsync(runId, Wait.Up(Limit))), StringComparison.Ordinal);
        await Wait.UntilAsync(() => Task.FromResult(listened.ToString().Contains($"Succeeded {runId}", StringComparison.Ordinal)), TimeSpan.FromSeconds(20), "the listener to see the run complete");
        Assert.Contains($"queued    {runId} from-example", listened.ToString(), StringComparison.Ordinal);
        Assert.Contains($"started   {runId}", listened.ToString(), StringComparison.Ordinal);
    }
}
