using System.Text;
using BuildFarm.Coordinator.Persistence;
using BuildFarm.Protos.V1;
using Microsoft.EntityFrameworkCore;

namespace BuildFarm.Coordinator.Logs;

/// <summary>
/// Writes a line of the farm's own into a job's stored log where no worker will, such as the end of
/// an attempt whose worker died mid-output (STYLE habit 8: nothing ends silently).
/// </summary>
/// <remarks>
/// The chunk is only added to the caller's context: saved in the same transaction as the state
/// change it describes, it is in place before any message of that change leaves the outbox, so a
/// retried attempt's worker is acknowledged past it and never numbers a chunk of its own into its
/// sequence. The (job, seq) key settles a race with a late upload of the lost worker: whichever
/// commits second gets a unique violation, and the caller decides again on fresh state.
/// </remarks>
public static class LogMarker
{
    /// <summary>
    /// Adds <c>[buildfarm] <paramref name="line"/></c> as a SYSTEM chunk after the job's last stored
    /// chunk and returns it as a segment, for the hub once the caller has committed.
    /// </summary>
    public static async Task<LogSegment> AddAsync(BuildFarmDbContext db, Guid jobId, string line, DateTimeOffset time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var last = await db.LogChunks.AsNoTracking()
            .Where(c => c.JobId == jobId)
            .OrderByDescending(c => c.Seq)
            .FirstOrDefaultAsync(cancellationToken);
        // A worker killed mid-line leaves its last line open; the marker must still start a line of its own.
        var newline = last is { Length: > 0 } && last.Decode()[^1] != (byte)'\n' ? "\n" : "";
        var data = Encoding.UTF8.GetBytes($"{newline}[buildfarm] {line}\n");
        var offset = last is null ? 0 : last.Offset + last.Length;
        db.LogChunks.Add(new Persistence.Entities.LogChunk
        {
            JobId = jobId,
            Seq = (last?.Seq ?? 0) + 1,
            Offset = offset,
            Length = data.Length,
            Stream = (int)LogStream.System,
            Time = time,
            Data = data,
        });
        return new LogSegment(offset, (int)LogStream.System, time, data);
    }
}
