using BuildFarm.Coordinator.Deployments;

namespace BuildFarm.Coordinator.Persistence.Entities;

/// <summary>A revision going to a deployment group, and how it ended.</summary>
public sealed class Deployment
{
    public Guid Id { get; set; }
    public required string ApplicationName { get; set; }
    public Guid GroupId { get; set; }
    public required string GroupName { get; set; }
    public required string Revision { get; set; }
    public required string DeploymentConfig { get; set; }
    public DeploymentStatus Status { get; set; }
    public string? Reason { get; set; }
    public bool IgnoreApplicationStopFailures { get; set; }
    public string? FileExistsBehavior { get; set; }
    public bool AutoRollback { get; set; }
    /// <summary>This deployment redeploys the last good revision after <see cref="RollbackOfId"/> failed.</summary>
    public bool IsRollback { get; set; }
    public Guid? RollbackOfId { get; set; }
    /// <summary>The rollback this deployment's failure started.</summary>
    public Guid? RollbackDeploymentId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public List<DeploymentInstance> Instances { get; set; } = [];
}
