using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BuildFarm.Contracts.Commands;
using BuildFarm.Contracts.Events;
using BuildFarm.IntegrationTests.Fixtures;
using BuildFarm.Protos.V1;
using MassTransit;

namespace BuildFarm.IntegrationTests.Runs;

/// <summary>Queue-driven automation and redelivery, through the real RabbitMQ.</summary>
public sealed class BusDrivenRunTests(FarmFixture farm) : IClassFixture<FarmFixture>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_trigger_run_message_starts_a_run_and_run_queued_answers_with_its_correlation_id()
    {
        await farm.Client.ApplyPipelineAsync("from-bus", "version: 0.2\nphases:\n  build:\n    commands:\n      - echo \"triggered by $SOURCE at $CODEBUILD_SOURCE_VERSION\"\n", cancellationToken: Wait.Up(Limit));
        var queued = new TaskCompletionSource<RunQueued>(TaskCreationOptions.RunContinuationsAsynchronously);
        var correlation = Guid.NewGuid();
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(farm.VirtualHost);
            cfg.ReceiveEndpoint($"test-run-queued-{correlation:N}", e =>
            {
                e.AutoDelete = true;
                e.Handler<RunQueued>(context =>
                {
                    if (context.Message.CorrelationId == correlation)
                    {
                        queued.TrySetResult(context.Message);
                    }

                    return Task.CompletedTask;
                });
            });
        });
        await bus.StartAsync(Wait.Up(Limit));
        try
        {
            var endpoint = await bus.GetSendEndpoint(new Uri("queue:trigger-run"));
            await endpoint.Send(new TriggerRun("from-bus", "bus-key-1", new Dictionary<string, string> { ["SOURCE"] = "rabbitmq" }, correlation, "refs/tags/v1.2"), Wait.Up(Limit));

            var answer = await queued.Task.WaitAsync(Limit);
            var run = await farm.Client.WaitForRunAsync(answer.RunId.ToString(), TimeSpan.FromMilliseconds(50), Wait.Up(Limit));

            Assert.Equal("from-bus", answer.Pipeline);
            Assert.Equal("bus-key-1", answer.IdempotencyKey);
            Assert.Equal(RunStatus.Succeeded, run.Status);
            Assert.Contains("triggered by rabbitmq at refs/tags/v1.2", Encoding.UTF8.GetString(await farm.Client.GetLogAsync(run.Id, Wait.Up(Limit))), StringComparison.Ordinal);
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_job_message_delivered_twice_runs_once()
    {
        var countFile = Path.Combine(farm.WorkRoot, $"count-{Guid.NewGuid():N}");
        await farm.Client.ApplyPipelineAsync("twice", "version: 0.2\nphases:\n  build:\n    commands:\n      - echo ran >> \"$COUNT\"\n", cancellationToken: Wait.Up(Limit));
        var run = await farm.Client.TriggerRunAsync("twice", new Dictionary<string, string> { ["COUNT"] = countFile }, cancellationToken: Wait.Up(Limit));
        var job = Guid.Parse(run.Jobs[0].Id);
        Guid attempt;
        using (farm.OpenDatabase(out var db))
        {
            attempt = db.Jobs.Single(j => j.Id == job).AttemptId;
        }

        // The same RunJob again, as a broker redelivery or a re-sent outbox row would bring it.
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(farm.VirtualHost));
        await bus.StartAsync(Wait.Up(Limit));
        try
        {
            var endpoint = await bus.GetSendEndpoint(new Uri("queue:run-job"));
            await endpoint.Send(new RunJob(Guid.Parse(run.Id), job, attempt, 1), Wait.Up(Limit));
            await endpoint.Send(new RunJob(Guid.Parse(run.Id), job, attempt, 1), Wait.Up(Limit));
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
        }

        var final = await farm.Client.WaitForRunAsync(run.Id, TimeSpan.FromMilliseconds(50), Wait.Up(Limit));
        await Wait.UntilAsync(() => QueueIsDrainedAsync("run-job"), Limit, "every RunJob delivery to be consumed");

        Assert.Equal(RunStatus.Succeeded, final.Status);
        Assert.Equal(["ran"], await File.ReadAllLinesAsync(countFile));
        Assert.Equal(1, final.Jobs[0].Attempt);
    }

    private async Task<bool> QueueIsDrainedAsync(string queue)
    {
        using var http = new HttpClient { BaseAddress = farm.ManagementUri };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("guest:guest"u8.ToArray()));
        var info = await http.GetFromJsonAsync<JsonElement>($"api/queues/{Uri.EscapeDataString(farm.VirtualHostName)}/{queue}");
        // The management API refreshes its counters every few seconds, so require both to be present and zero.
        return info.TryGetProperty("messages", out var ready) && ready.GetInt64() == 0
            && info.TryGetProperty("messages_unacknowledged", out var unacked) && unacked.GetInt64() == 0;
    }
}
