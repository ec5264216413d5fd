using BuildFarm.Contracts.Events;
using BuildFarm.Coordinator.Persistence;
using BuildFarm.Coordinator.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace BuildFarm.Coordinator.Artifacts;

/// <summary>Adds the artifacts a JobCompleted reports to the same unit of work as the job's result.</summary>
public static class ArtifactRecorder
{
    public static async Task RecordAsync(BuildFarmDbContext db, JobCompleted message, CancellationToken cancellationToken)
    {
        if (message.Artifacts is not { Count: > 0 } reported)
        {
            return;
        }

        var names = reported.Select(a => a.Name).ToList();
        var existing = await db.RunArtifacts
            .Where(a => a.RunId == message.RunId && names.Contains(a.Name))
            .ToDictionaryAsync(a => a.Name, StringComparer.Ordinal, cancellationToken);
        foreach (var artifact in reported)
        {
            // A retried attempt wrote the same key again, so its report replaces the earlier row.
            if (!existing.TryGetValue(artifact.Name, out var row))
            {
                row = new RunArtifact { RunId = message.RunId, Name = artifact.Name, Key = artifact.Key, Sha256 = artifact.Sha256 };
                db.RunArtifacts.Add(row);
                existing[artifact.Name] = row;
            }

            row.JobId = message.JobId;
            row.AttemptId = message.AttemptId;
            row.Key = artifact.Key;
            row.SizeBytes = artifact.SizeBytes;
            row.Sha256 = artifact.Sha256;
            row.StoredAt = message.FinishedAt.ToUniversalTime();
        }
    }
}
