using System.Collections.Concurrent;

namespace BuildFarm.Coordinator.Logs;

/// <summary>
/// Live fan-out of logs being ingested on this coordinator. Followers read the shared memory tail;
/// nothing here ever waits on a follower, so a slow one cannot slow the worker or the others.
/// </summary>
public sealed class LogHub(TimeProvider time)
{
    // A finished job's tail lingers briefly so followers that are just catching up finish from memory.
    private static readonly TimeSpan Linger = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<Guid, LiveLog> _logs = new();
    // Followers of a job whose log has not started here yet wait for its first activity.
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _waiters = new();

    public void Open(Guid jobId, long end)
    {
        _logs.GetOrAdd(jobId, _ => new LiveLog(end));
        Wake(jobId);
    }

    public void Append(Guid jobId, IReadOnlyList<LogSegment> segments)
    {
        if (segments.Count > 0 && _logs.TryGetValue(jobId, out var log))
        {
            log.Append(segments.Select(s => new LiveChunk(s)));
        }
    }

    /// <summary>Chunks as they were stored (committed, and no longer tracked); decoded only if a follower reads them.</summary>
    public void Append(Guid jobId, IReadOnlyList<Persistence.Entities.LogChunk> stored)
    {
        if (stored.Count > 0 && _logs.TryGetValue(jobId, out var log))
        {
            log.Append(stored.Select(c => new LiveChunk(c)));
        }
    }

    public void Complete(Guid jobId)
    {
        if (_logs.TryGetValue(jobId, out var log))
        {
            log.Complete();
            _ = ForgetLaterAsync(jobId, log);
        }

        Wake(jobId);
    }

    /// <summary>Completes when the job's log opens or the job completes on this coordinator. Take it before checking the store, so nothing is missed in between.</summary>
    public Task ActivityAsync(Guid jobId) =>
        _waiters.GetOrAdd(jobId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    private void Wake(Guid jobId)
    {
        if (_waiters.TryRemove(jobId, out var waiter))
        {
            waiter.TrySetResult();
        }
    }

    internal LiveLog? Find(Guid jobId) => _logs.GetValueOrDefault(jobId);

    private async Task ForgetLaterAsync(Guid jobId, LiveLog log)
    {
        await Task.Delay(Linger, time);
        _logs.TryRemove(new KeyValuePair<Guid, LiveLog>(jobId, log));
    }
}
