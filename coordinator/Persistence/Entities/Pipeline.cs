namespace BuildFarm.Coordinator.Persistence.Entities;

public sealed class Pipeline
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public int LatestVersion { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// Set by a delete: the pipeline is gone from lists and cannot be triggered, but its versions stay,
    /// because its runs point at them and stay readable. Applying the name again brings it back.
    /// </summary>
    public DateTimeOffset? DeletedAt { get; set; }
    public List<PipelineVersion> Versions { get; set; } = [];
}
