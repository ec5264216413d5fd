using BuildFarm.Contracts.Events;
using MassTransit;

namespace BuildFarm.Coordinator.Messaging.Consumers;

/// <summary>
/// The claim already moved the job to Running; this only logs where it started. Kept as a consumer
/// so the event has a durable queue here and automation can rely on it being published.
/// </summary>
public sealed partial class JobStartedConsumer(ILogger<JobStartedConsumer> logger) : IConsumer<JobStarted>
{
    public Task Consume(ConsumeContext<JobStarted> context)
    {
        LogStarted(logger, context.Message.JobId, context.Message.AttemptId, context.Message.WorkerId);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} attempt {AttemptId} started on {WorkerId}")]
    private static partial void LogStarted(ILogger logger, Guid jobId, Guid attemptId, string workerId);
}
