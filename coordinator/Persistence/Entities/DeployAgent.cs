namespace BuildFarm.Coordinator.Persistence.Entities;

/// <summary>A registered deploy agent: one server of the farm's deployment groups.</summary>
public sealed class DeployAgent
{
    public required string InstanceName { get; set; }
    public Dictionary<string, string> Tags { get; set; } = [];
    public required string Os { get; set; }
    /// <summary>The root prefix the agent maps absolute paths under; empty for a real server.</summary>
    public string Root { get; set; } = "";
    public DateTimeOffset RegisteredAt { get; set; }
    public DateTimeOffset LastHeartbeatAt { get; set; }
}
