using System.ComponentModel.DataAnnotations;

namespace BuildFarm.Coordinator.Options;

public sealed class DeploymentOptions
{
    public const string SectionName = "Deployments";

    /// <summary>How often agents heartbeat (told to them when they register).</summary>
    [Range(1, 300)]
    public int AgentHeartbeatSeconds { get; set; } = 5;

    /// <summary>An agent not heard from for this long is silent: a deployment to it fails fast, naming it and its last heartbeat.</summary>
    [Range(2, 3600)]
    public int AgentSilenceSeconds { get; set; } = 20;

    /// <summary>How often running deployments are checked for agents that went silent mid-deployment.</summary>
    [Range(1, 600)]
    public int SweepSeconds { get; set; } = 2;

    /// <summary>How often pipeline deploy actions waiting for their deployment are looked for (the delay before one starts).</summary>
    [Range(50, 60000)]
    public int ActionPollMilliseconds { get; set; } = 250;
}
