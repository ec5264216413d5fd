namespace BuildFarm.Coordinator.Persistence.Entities;

/// <summary>The instances an application deploys to: agents whose tags include every filter, plus any named ones.</summary>
public sealed class DeploymentGroup
{
    public Guid Id { get; set; }
    public required string ApplicationName { get; set; }
    public required string Name { get; set; }
    public Dictionary<string, string> TagFilters { get; set; } = [];
    /// <summary>Instances the group must have; one that never registered fails a deployment fast, by name.</summary>
    public List<string> InstanceNames { get; set; } = [];
    public required string DeploymentConfig { get; set; }
    public bool AutoRollback { get; set; }
    public bool IgnoreApplicationStopFailures { get; set; }
    /// <summary>What a rollback redeploys.</summary>
    public string? LastSuccessfulRevision { get; set; }
    public Guid? LastSuccessfulDeploymentId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
