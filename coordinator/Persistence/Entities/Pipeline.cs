namespace BuildFarm.Coordinator.Persistence.Entities;

public sealed class Pipeline
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public int LatestVersion { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public List<PipelineVersion> Versions { get; set; } = [];
}
