namespace BuildFarm.Worker.Deploy;

/// <summary>What `buildfarm agent status` prints.</summary>
public sealed record AgentStatusSnapshot(
    string InstanceName,
    string Coordinator,
    bool Connected,
    DateTimeOffset? LastContactAt,
    string? LastError,
    Guid? CurrentInstanceDeploymentId,
    int? ProcessId);
