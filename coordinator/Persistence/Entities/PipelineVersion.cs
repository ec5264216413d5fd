namespace BuildFarm.Coordinator.Persistence.Entities;

/// <summary>An immutable definition; a change is a new row, and runs point at the row they used.</summary>
public sealed class PipelineVersion
{
    public Guid Id { get; set; }
    public Guid PipelineId { get; set; }
    public int Version { get; set; }
    public required string FileName { get; set; }
    public required string Definition { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>CodeBuild's build timeout for runs of this version (5–2160); null is the default, 60.</summary>
    public int? TimeoutInMinutes { get; set; }

    /// <summary>CodeBuild's queued timeout for runs of this version (5–480); null is the default, 480.</summary>
    public int? QueuedTimeoutInMinutes { get; set; }

    /// <summary>Worker labels every job of a run of this version needs; empty: any worker.</summary>
    public List<string> Labels { get; set; } = [];
}
