using BuildFarm.Coordinator.Deployments;

namespace BuildFarm.Coordinator.Persistence.Entities;

/// <summary>One instance's part in a deployment. Its id is also its log's id in the log store.</summary>
public sealed class DeploymentInstance
{
    public Guid Id { get; set; }
    public Guid DeploymentId { get; set; }
    public required string InstanceName { get; set; }
    /// <summary>Deployment order within the deployment (instances by name).</summary>
    public int Ordinal { get; set; }
    public InstanceStatus Status { get; set; }
    /// <summary>The log stream's attempt id; new each time the instance is dispatched.</summary>
    public Guid AttemptId { get; set; }
    public DateTimeOffset? DispatchedAt { get; set; }
    /// <summary>Set when the agent claimed it (StartInstanceDeployment), exactly once.</summary>
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string? Message { get; set; }
    public List<DeploymentEventRecord> Events { get; set; } = [];
}
