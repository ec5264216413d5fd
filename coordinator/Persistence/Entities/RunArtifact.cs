namespace BuildFarm.Coordinator.Persistence.Entities;

/// <summary>
/// An artifact a job stored, as its worker reported it on JobCompleted; the bytes stay in the
/// artifact store under <see cref="Key"/>. Unique by (run, name): a later attempt's zip replaces the
/// earlier one under the same key, and so does its row.
/// </summary>
public sealed class RunArtifact
{
    public long Id { get; set; }
    public Guid RunId { get; set; }
    public Guid JobId { get; set; }
    public Guid AttemptId { get; set; }
    public required string Name { get; set; }
    public required string Key { get; set; }
    public long SizeBytes { get; set; }
    public required string Sha256 { get; set; }
    public DateTimeOffset StoredAt { get; set; }
}
