using BuildFarm.Storage.Artifacts;

namespace BuildFarm.Worker.Artifacts;

/// <summary>What <see cref="ArtifactPublisher"/> stored, and the first reason an artifact could not be.</summary>
/// <param name="Stored">Every artifact stored, primary first.</param>
/// <param name="Error">Null when all were stored; else the first failure, e.g. "artifact 'primary': no matching artifact paths found".</param>
public sealed record ArtifactPublishResult(IReadOnlyList<StoredArtifact> Stored, string? Error)
{
    public bool Succeeded => Error is null;
}
