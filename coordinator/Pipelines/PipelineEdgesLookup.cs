using BuildFarm.Coordinator.Persistence;
using BuildFarm.Core.Definitions.Parsing;
using Microsoft.EntityFrameworkCore;

namespace BuildFarm.Coordinator.Pipelines;

/// <summary>Finds a pipeline version's triggers and notifications (parsed once per version, see <see cref="PipelineEdgesCache"/>).</summary>
public sealed class PipelineEdgesLookup(BuildFarmDbContext db, PipelineEdgesCache cache)
{
    /// <summary>The latest version's sections, or null when there is no such pipeline.</summary>
    public async Task<PipelineEdges?> LatestAsync(string pipeline, CancellationToken cancellationToken)
    {
        var version = await db.Pipelines.AsNoTracking()
            .Where(p => p.Name == pipeline)
            .Join(db.PipelineVersions.AsNoTracking(),
                p => new { Id = p.Id, Version = p.LatestVersion },
                v => new { Id = v.PipelineId, v.Version },
                (p, v) => new { v.Id, v.Definition, v.FileName })
            .FirstOrDefaultAsync(cancellationToken);
        return version is null ? null : cache.Get(version.Id, version.Definition, version.FileName);
    }

    public async Task<PipelineEdges?> ForVersionAsync(Guid versionId, CancellationToken cancellationToken)
    {
        // Versions never change: once parsed, every run event of the version (notifications plan on each
        // one) is answered without reading the definition from the database again.
        if (cache.TryGet(versionId) is { } cached)
        {
            return cached;
        }

        var version = await db.PipelineVersions.AsNoTracking()
            .Where(v => v.Id == versionId)
            .Select(v => new { v.Definition, v.FileName })
            .FirstOrDefaultAsync(cancellationToken);
        return version is null ? null : cache.Get(versionId, version.Definition, version.FileName);
    }

    /// <summary>Every pipeline's latest version with a schedule: what the cron scheduler looks at each tick.</summary>
    public async Task<IReadOnlyList<(string Pipeline, PipelineEdges Edges)>> AllLatestAsync(CancellationToken cancellationToken)
    {
        var latest = await db.Pipelines.AsNoTracking()
            .Join(db.PipelineVersions.AsNoTracking(),
                p => new { Id = p.Id, Version = p.LatestVersion },
                v => new { Id = v.PipelineId, v.Version },
                (p, v) => new { p.Name, v.Id })
            .ToListAsync(cancellationToken);
        var result = new List<(string, PipelineEdges)>(latest.Count);
        foreach (var version in latest)
        {
            // Definitions are read only for versions not parsed yet: after the first tick, none.
            var edges = cache.TryGet(version.Id) ?? await ForVersionAsync(version.Id, cancellationToken);
            if (edges is not null)
            {
                result.Add((version.Name, edges));
            }
        }
        return result;
    }
}
