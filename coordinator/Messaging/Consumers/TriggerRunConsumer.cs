using BuildFarm.Contracts.Commands;
using BuildFarm.Contracts.Events;
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
        // RunQueued (with the correlation id) is the answer, published through the outbox with the run.
        // A repeated idempotency key returns the existing run and publishes nothing new, so a sender that
        // asked with a request client also gets a direct response naming the run, new or not. An unknown
        // pipeline throws: the request client receives the Fault with the reason.
        var run = await runs.TriggerAsync(
            new RunTrigger(message.Pipeline, message.IdempotencyKey, SourceVersion.Apply(message.Variables, message.SourceVersion), message.CorrelationId, "bus"),
            context.CancellationToken);
        if (context.ResponseAddress is not null)
        {
            await context.RespondAsync(new RunQueued(run.Id, run.PipelineName, run.PipelineVersion, run.IdempotencyKey, message.CorrelationId, run.CreatedAt));
        }
    }
}
