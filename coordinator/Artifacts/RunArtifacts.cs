using BuildFarm.Coordinator.Errors;
using BuildFarm.Coordinator.Persistence;
using BuildFarm.Coordinator.Persistence.Entities;
using BuildFarm.Storage.Artifacts;
using Microsoft.EntityFrameworkCore;

namespace BuildFarm.Coordinator.Artifacts;

/// <summary>A run's artifacts for every edge (HTTP, gRPC): the rows workers reported, the bytes from the artifact store.</summary>
public sealed class RunArtifacts(BuildFarmDbContext db, IArtifactStore store)
{
    /// <exception cref="NotFoundException">No such run.</exception>
    public async Task<List<RunArtifact>> ListAsync(Guid runId, CancellationToken cancellationToken)
    {
        if (!await db.Runs.AnyAsync(r => r.Id == runId, cancellationToken))
        {
            throw new NotFoundException("Run", runId.ToString());
        }

        return await db.RunArtifacts.AsNoTracking().Where(a => a.RunId == runId).OrderBy(a => a.Name).ToListAsync(cancellationToken);
    }

    /// <summary>The artifact's row and a seekable stream of its zip (nothing is read until the caller reads).</summary>
    /// <exception cref="NotFoundException">No such run, or the run has no artifact of that name.</exception>
    public async Task<(RunArtifact Artifact, Stream Content)> OpenAsync(Guid runId, string name, CancellationToken cancellationToken)
    {
        var artifact = await db.RunArtifacts.AsNoTracking().FirstOrDefaultAsync(a => a.RunId == runId && a.Name == name, cancellationToken);
        if (artifact is null)
        {
            throw await db.Runs.AnyAsync(r => r.Id == runId, cancellationToken)
                ? new NotFoundException("Artifact", name)
                : new NotFoundException("Run", runId.ToString());
        }

        return (artifact, new ArtifactReadStream(store, artifact.Key, artifact.SizeBytes));
    }
}
