using BuildFarm.Coordinator.Persistence.Entities;

namespace BuildFarm.Coordinator.Api.Models;

/// <summary>An artifact of a run: download it from <see cref="DownloadUrl"/>; <see cref="Sha256"/> checks it.</summary>
public sealed record ArtifactResponse(string Name, string Key, long SizeBytes, string Sha256, Guid JobId, DateTimeOffset StoredAt, string DownloadUrl)
{
    public static ArtifactResponse From(RunArtifact artifact) =>
        new(artifact.Name, artifact.Key, artifact.SizeBytes, artifact.Sha256, artifact.JobId, artifact.StoredAt,
            $"/api/runs/{artifact.RunId}/artifacts/{Uri.EscapeDataString(artifact.Name)}");
}
