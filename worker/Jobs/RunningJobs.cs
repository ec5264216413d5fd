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

    /// <summary>Stops every attempt to give it back to the coordinator; returns their ids.</summary>
    public IReadOnlyList<Guid> HandBackAll()
    {
        var handedBack = new List<Guid>();
        foreach (var (attemptId, entry) in _jobs)
        {
            entry.HandedBack = true;
            entry.Cancel.Cancel();
            handedBack.Add(attemptId);
        }

        return handedBack;
    }

    /// <summary>True when the attempt was stopped to be handed back rather than cancelled: it reports no result.</summary>
    public bool IsHandedBack(Guid attemptId) => _jobs.TryGetValue(attemptId, out var entry) && entry.HandedBack;

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

        // Written before the token is cancelled, read after the job saw the cancellation: the cancel orders the two.
        public bool HandedBack { get; set; }
    }
}
