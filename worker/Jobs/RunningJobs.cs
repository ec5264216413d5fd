using System.Collections.Concurrent;

namespace BuildFarm.Worker.Jobs;

/// <summary>The attempts running on this worker, so cancel requests and heartbeats can find them.</summary>
public sealed class RunningJobs
{
    private readonly ConcurrentDictionary<Guid, Entry> _jobs = new();

    public IReadOnlyCollection<Guid> AttemptIds => _jobs.Keys.ToList();

    public int Count => _jobs.Count;

    public CancellationToken Register(Guid attemptId, Task? completion = null)
    {
        var entry = _jobs.GetOrAdd(attemptId, _ => new Entry(new CancellationTokenSource()));
        if (completion is not null)
        {
            entry.Completion = completion;
        }

        return entry.Cancel.Token;
    }

    public void Attach(Guid attemptId, Task completion)
    {
        if (_jobs.TryGetValue(attemptId, out var entry))
        {
            entry.Completion = completion;
        }
    }

    /// <summary>Asks the attempt to stop; true when it runs here.</summary>
    public bool Cancel(Guid attemptId)
    {
        if (!_jobs.TryGetValue(attemptId, out var entry))
        {
            return false;
        }

        entry.Cancel.Cancel();
        return true;
    }

    public void CancelAll()
    {
        foreach (var entry in _jobs.Values)
        {
            entry.Cancel.Cancel();
        }
    }

    public void Remove(Guid attemptId)
    {
        if (_jobs.TryRemove(attemptId, out var entry))
        {
            entry.Cancel.Dispose();
        }
    }

    public Task WhenAllAsync() => Task.WhenAll(_jobs.Values.Select(e => e.Completion));

    private sealed class Entry(CancellationTokenSource cancel)
    {
        public CancellationTokenSource Cancel { get; } = cancel;
        public Task Completion { get; set; } = Task.CompletedTask;
    }
}
