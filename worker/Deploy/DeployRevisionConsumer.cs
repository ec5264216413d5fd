using BuildFarm.Contracts.Commands;
using MassTransit;

namespace BuildFarm.Worker.Deploy;

/// <summary>
/// Hands a deployment to the runner and returns, so the delivery is acknowledged at once: a deployment can
/// outlast RabbitMQ's consumer_timeout, so it never holds its delivery.
/// </summary>
public sealed partial class DeployRevisionConsumer(AgentDeploymentRunner runner, ILogger<DeployRevisionConsumer> logger) : IConsumer<DeployRevision>
{
    public Task Consume(ConsumeContext<DeployRevision> context)
    {
        if (!runner.Enqueue(context.Message))
        {
            LogDuplicate(logger, context.Message.InstanceDeploymentId);
        }
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deployment {InstanceDeploymentId} was already received; ignoring the redelivery")]
    private static partial void LogDuplicate(ILogger logger, Guid instanceDeploymentId);
}
