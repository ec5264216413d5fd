using BuildFarm.Contracts.Events;
using BuildFarm.Coordinator.Runs;
using MassTransit;

namespace BuildFarm.Coordinator.Messaging.Consumers;

public sealed class JobCompletedConsumer(JobProgress progress, ILogger<JobCompletedConsumer> logger) : IConsumer<JobCompleted>
{
    public async Task Consume(ConsumeContext<JobCompleted> context)
    {
        var message = context.Message;
        using var scope = logger.BeginScope(new Dictionary<string, object>
        {
            ["RunId"] = message.RunId,
            ["JobId"] = message.JobId,
            ["AttemptId"] = message.AttemptId,
        });
        await progress.ApplyAsync(message, context.CancellationToken);
    }
}
