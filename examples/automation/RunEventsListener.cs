using BuildFarm.Contracts.Events;
using MassTransit;

namespace BuildFarm.Examples.Automation;

/// <summary>
/// The consumer: a durable queue of its own that receives every run lifecycle event the farm publishes
/// (RunQueued, RunStarted, RunCompleted), e.g. to post to chat or update a deployment tracker.
/// </summary>
public static class RunEventsListener
{
    /// <summary>Starts listening; the queue is bound when this returns. Dispose to stop.</summary>
    public static async Task<IAsyncDisposable> StartAsync(Uri broker, string queueName, TextWriter output, CancellationToken cancellationToken)
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(broker);
            cfg.ReceiveEndpoint(queueName, e =>
            {
                e.Handler<RunQueued>(c => output.WriteLineAsync($"{c.Message.QueuedAt:O} queued    {c.Message.RunId} {c.Message.Pipeline} v{c.Message.PipelineVersion}"));
                e.Handler<RunStarted>(c => output.WriteLineAsync($"{c.Message.StartedAt:O} started   {c.Message.RunId}"));
                e.Handler<RunCompleted>(c => output.WriteLineAsync($"{c.Message.FinishedAt:O} {c.Message.Status,-9} {c.Message.RunId} {c.Message.Reason}"));
            });
        });
        await bus.StartAsync(cancellationToken);
        return new Listening(bus);
    }

    private sealed class Listening(IBusControl bus) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await bus.StopAsync(CancellationToken.None);
    }
}
