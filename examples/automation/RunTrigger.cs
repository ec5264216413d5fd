using BuildFarm.Contracts.Commands;
using BuildFarm.Contracts.Events;
using MassTransit;

namespace BuildFarm.Examples.Automation;

/// <summary>
/// The producer: sends TriggerRun to the coordinator's queue as a request, gets RunQueued back (also for
/// a repeated idempotency key), then waits for the RunCompleted that carries the same correlation id.
/// </summary>
public static class RunTrigger
{
    /// <summary>The coordinator's queue for TriggerRun (MassTransit's kebab-case name of its consumer).</summary>
    public static readonly Uri Queue = new("queue:trigger-run");

    /// <returns>The run's final status: Succeeded, Failed or Cancelled.</returns>
    public static async Task<string> TriggerAndWaitAsync(Uri broker, string pipeline, IReadOnlyDictionary<string, string> variables, TextWriter output, CancellationToken cancellationToken)
    {
        var correlationId = Guid.NewGuid();
        var completed = new TaskCompletionSource<RunCompleted>(TaskCreationOptions.RunContinuationsAsynchronously);
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(broker);
            // A temporary, exclusive queue bound to RunCompleted: it lives as long as this process.
            cfg.ReceiveEndpoint(e =>
            {
                e.Handler<RunCompleted>(context =>
                {
                    if (context.Message.CorrelationId == correlationId)
                    {
                        completed.TrySetResult(context.Message);
                    }

                    return Task.CompletedTask;
                });
            });
        });
        await bus.StartAsync(cancellationToken);
        try
        {
            var client = bus.CreateRequestClient<TriggerRun>(Queue, RequestTimeout.After(s: 30));
            // The idempotency key makes a resend after a crash return the same run instead of a second one.
            var response = await client.GetResponse<RunQueued>(
                new TriggerRun(pipeline, $"example-{correlationId}", variables, correlationId), cancellationToken);
            await output.WriteLineAsync($"queued run {response.Message.RunId} of {response.Message.Pipeline} version {response.Message.PipelineVersion}");
            var done = await completed.Task.WaitAsync(cancellationToken);
            await output.WriteLineAsync($"run {done.RunId} {done.Status}{(done.Reason is null ? "" : $": {done.Reason}")}");
            return done.Status;
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
        }
    }
}
