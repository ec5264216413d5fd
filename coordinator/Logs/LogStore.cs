using BuildFarm.Coordinator.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BuildFarm.Coordinator.Logs;

/// <summary>Reads stored log chunks by byte offset.</summary>
public sealed class LogStore(BuildFarmDbContext db)
{
    /// <summary>Segments covering <paramref name="offset"/> onwards, in order, up to about <paramref name="maxBytes"/>.</summary>
    public async Task<IReadOnlyList<LogSegment>> ReadAsync(Guid jobId, long offset, int maxBytes, CancellationToken cancellationToken)
    {
        // Chunks run from a few bytes to a MiB (a worker joins its backlog), so a count of rows says
        // little about their size: look at the lengths first and load only the rows needed.
        var take = Math.Max(1, maxBytes / (16 * 1024));
        var lengths = await db.LogChunks.AsNoTracking()
            .Where(c => c.JobId == jobId && c.Offset + c.Length > offset)
            .OrderBy(c => c.Offset)
            .Take(take)
            .Select(c => new { c.Offset, c.Length })
            .ToListAsync(cancellationToken);
        if (lengths.Count == 0)
        {
            return [];
        }

        var last = lengths[0].Offset;
        foreach (var row in lengths)
        {
            last = row.Offset;
            if (row.Offset + row.Length - offset >= maxBytes)
            {
                break;
            }
        }

        var chunks = await db.LogChunks.AsNoTracking()
            .Where(c => c.JobId == jobId && c.Offset + c.Length > offset && c.Offset <= last)
            .OrderBy(c => c.Offset)
            .ToListAsync(cancellationToken);
        return chunks.Select(c => new LogSegment(c.Offset, c.Stream, c.Time, c.Decode()).From(offset)).ToList();
    }

    /// <summary>
    /// The offset where the last <paramref name="lines"/> lines begin (a final newline does not
    /// start an empty line), reading chunks backwards from the end, so a tail costs what it shows.
    /// </summary>
    public async Task<long> TailOffsetAsync(Guid jobId, int lines, CancellationToken cancellationToken)
    {
        var (_, end) = await GetEndAsync(jobId, cancellationToken);
        if (lines <= 0 || end == 0)
        {
            return end;
        }

        var newlines = 0;
        var before = end;
        const int Page = 16;
        while (true)
        {
            var cursor = before;
            var chunks = await db.LogChunks.AsNoTracking()
                .Where(c => c.JobId == jobId && c.Offset < cursor)
                .OrderByDescending(c => c.Offset)
                .Take(Page)
                .ToListAsync(cancellationToken);
            foreach (var chunk in chunks)
            {
                var data = chunk.Decode();
                for (var i = data.Length - 1; i >= 0; i--)
                {
                    var at = chunk.Offset + i;
                    if (data[i] != (byte)'\n' || at == end - 1)
                    {
                        continue;
                    }

                    if (++newlines == lines)
                    {
                        return at + 1;
                    }
                }

                before = chunk.Offset;
            }

            if (chunks.Count < Page)
            {
                return 0;
            }
        }
    }

    /// <summary>The last stored sequence and the log's length; (0, 0) for a job with no log yet.</summary>
    public async Task<(long LastSeq, long End)> GetEndAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var last = await db.LogChunks.AsNoTracking()
            .Where(c => c.JobId == jobId)
            .OrderByDescending(c => c.Seq)
            .Select(c => new { c.Seq, End = c.Offset + c.Length })
            .FirstOrDefaultAsync(cancellationToken);
        return last is null ? (0, 0) : (last.Seq, last.End);
    }
}
