using BuildFarm.Core.Runs;

namespace BuildFarm.Core.Deployments;

/// <summary>The RabbitMQ queue a deploy agent receives its deployments on: one per instance, so a deployment reaches exactly its server.</summary>
public static class AgentQueue
{
    public static string For(string instanceName) => QueueName.Of("deploy-agent-", instanceName);
}
