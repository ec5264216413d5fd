using BuildFarm.Contracts.Commands;
using BuildFarm.Coordinator.Runs;
using MassTransit;

namespace BuildFarm.Coordinator.Messaging.Consumers;

/// <summary>Queue-driven automation: a TriggerRun message starts a run through the same service as HTTP and gRPC.</summary>
public sealed class TriggerRunConsumer(RunService runs, ILogger<TriggerRunConsumer> logger) : IConsumer<TriggerRun>
{
    public async Task Consume(ConsumeContext<TriggerRun> context)
    {
        var message = context.Message;
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = message.CorrelationId });
        // RunQueued (with the correlation id) is the answer, written to the outbox with the run.
        // A repeated idempotency key returns the existing run and queues nothing new.
        await runs.TriggerAsync(
            new RunTrigger(message.Pipeline, message.IdempotencyKey, message.Variables, message.CorrelationId, "bus"),
            context.CancellationToken);
    }
}
