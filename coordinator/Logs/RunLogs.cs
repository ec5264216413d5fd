using BuildFarm.Coordinator.Errors;
using BuildFarm.Coordinator.Persistence;
using BuildFarm.Core.Runs;
using Microsoft.EntityFrameworkCore;

namespace BuildFarm.Coordinator.Logs;

/// <summary>A run's log as readers address it: by run id and byte offset.</summary>
public sealed class RunLogs(BuildFarmDbContext db, LogStore store)
{
    /// <summary>
    /// The run's job whose log is served: the one <paramref name="job"/> names (its id, batch identifier or name), else
    /// the first: its one build job, a pipeline run's first action, a batch's first member.
    /// </summary>
    public async Task<Guid> ResolveJobAsync(Guid runId, string? job, CancellationToken cancellationToken)
    {
        var jobs = db.Jobs.AsNoTracking().Where(j => j.RunId == runId);
        if (!string.IsNullOrEmpty(job))
        {
            var named = Guid.TryParse(job, out var id)
                ? await jobs.Where(j => j.Id == id).Select(j => (Guid?)j.Id).FirstOrDefaultAsync(cancellationToken)
                : await jobs.Where(j => j.BatchIdentifier == job || j.Name == job).OrderBy(j => j.BatchIdentifier == job ? 0 : 1).ThenBy(j => j.StageIndex)
                    .Select(j => (Guid?)j.Id).FirstOrDefaultAsync(cancellationToken);
            return named ?? throw new NotFoundException("Job", $"{job} of run {runId}");
        }
        var jobId = await jobs.OrderBy(j => j.StageIndex).ThenBy(j => j.RunOrder).ThenBy(j => j.BatchIndex).ThenBy(j => j.Name).Select(j => (Guid?)j.Id)
            .FirstOrDefaultAsync(cancellationToken);
        return jobId ?? throw new NotFoundException("Run", runId.ToString());
    }

    /// <summary>Where a reader starts: the last <paramref name="tailLines"/> lines when set, else <paramref name="offset"/>.</summary>
    public async Task<long> StartOffsetAsync(Guid jobId, long offset, int tailLines, CancellationToken cancellationToken) =>
        tailLines > 0 ? await store.TailOffsetAsync(jobId, tailLines, cancellationToken) : Math.Max(0, offset);

    /// <summary>Up to <paramref name="maxBytes"/> from <paramref name="offset"/>; complete when the job is final and nothing follows.</summary>
    public async Task<(byte[] Data, long NextOffset, bool Complete)> ReadAsync(Guid jobId, long offset, int maxBytes, CancellationToken cancellationToken)
    {
        var final = await db.Jobs.AsNoTracking().Where(j => j.Id == jobId).Select(j => j.Status).FirstAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var cursor = Math.Max(0, offset);
        while (buffer.Length < maxBytes)
        {
            var segments = await store.ReadAsync(jobId, cursor, maxBytes, cancellationToken);
            if (segments.Count == 0)
            {
                break;
            }

            foreach (var segment in segments)
            {
                buffer.Write(segment.Data.Span);
                cursor = segment.End;
            }
        }

        var (_, end) = await store.GetEndAsync(jobId, cancellationToken);
        return (buffer.ToArray(), cursor, final.IsFinal() && cursor >= end);
    }
}
