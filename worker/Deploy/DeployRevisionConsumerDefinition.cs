using BuildFarm.Core.Deployments;
using BuildFarm.Worker.Options;
using MassTransit;
using Microsoft.Extensions.Options;

namespace BuildFarm.Worker.Deploy;

/// <summary>The agent's own durable queue (deploy-agent-INSTANCE), so deployments wait for an agent that is restarting.</summary>
public sealed class DeployRevisionConsumerDefinition : ConsumerDefinition<DeployRevisionConsumer>
{
    public DeployRevisionConsumerDefinition(IOptions<AgentOptions> agent)
    {
        EndpointName = AgentQueue.For(agent.Value.InstanceName);
        ConcurrentMessageLimit = 1;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<DeployRevisionConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.PrefetchCount = 4;
}
