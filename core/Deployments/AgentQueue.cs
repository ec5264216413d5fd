namespace BuildFarm.Core.Deployments;

/// <summary>The RabbitMQ queue a deploy agent receives its deployments on: one per instance, so a deployment reaches exactly its server.</summary>
public static class AgentQueue
{
    public static string For(string instanceName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceName);
        return "deploy-agent-" + new string(instanceName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? char.ToLowerInvariant(c) : '-').ToArray());
    }
}
