using System.Runtime.CompilerServices;
using BuildFarm.Coordinator.Persistence;
using BuildFarm.Core.Runs;
using Microsoft.EntityFrameworkCore;

namespace BuildFarm.Coordinator.Logs;

/// <summary>
/// Scrollback then live tail of one job's log, without a gap or a duplicate: the cursor is a byte
/// offset, and every segment is cut to start exactly at it. Ends when the job is final and every
/// stored byte has been read.
/// </summary>
public sealed class LogFollower(LogStore store, LogHub hub, BuildFarmDbContext db)
{
    private const int StoreReadBytes = 1024 * 1024;
    // Only a fallback: appends on this coordinator wake followers at once; this covers logs
    // ingested by another coordinator and jobs that ended while nothing was appended.
    private static readonly TimeSpan IdleCheck = TimeSpan.FromMilliseconds(500);

    public async IAsyncEnumerable<LogSegment> FollowAsync(Guid jobId, long offset, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var cursor = offset;
        while (true)
        {
            Task changed = Task.CompletedTask;
            var completed = false;
            var fromMemory = hub.Find(jobId)?.ReadFrom(cursor, out changed, out completed);
            if (fromMemory is not null)
            {
                foreach (var segment in fromMemory)
                {
                    yield return segment;
                    cursor = segment.End;
                }

                if (fromMemory.Count > 0)
                {
                    continue;
                }

                if (completed)
                {
                    // The tail may have been restarted after a hole: make sure the store has nothing further.
                    if ((await store.ReadAsync(jobId, cursor, StoreReadBytes, cancellationToken)).Count == 0)
                    {
                        yield break;
                    }
                }
                else
                {
                    await Task.WhenAny(changed, Task.Delay(IdleCheck, cancellationToken));
                    cancellationToken.ThrowIfCancellationRequested();
                    continue;
                }
            }

            var activity = hub.ActivityAsync(jobId);
            var stored = await store.ReadAsync(jobId, cursor, StoreReadBytes, cancellationToken);
            foreach (var segment in stored)
            {
                yield return segment;
                cursor = segment.End;
            }

            if (stored.Count > 0)
            {
                continue;
            }

            // A job is final only after its worker's log was completely acknowledged, so an empty
            // read after seeing it final means the log is whole.
            if (await IsFinalAsync(jobId, cancellationToken)
                && (await store.ReadAsync(jobId, cursor, StoreReadBytes, cancellationToken)).Count == 0)
            {
                yield break;
            }

            if (hub.Find(jobId) is null)
            {
                await Task.WhenAny(activity, Task.Delay(IdleCheck, cancellationToken));
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    private async Task<bool> IsFinalAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var status = await db.Jobs.AsNoTracking().Where(j => j.Id == jobId).Select(j => (RunStatus?)j.Status)
            .FirstOrDefaultAsync(cancellationToken);
        return status is null || status.Value.IsFinal();
    }
}
