namespace BuildFarm.Coordinator.Logs;

/// <summary>The in-memory tail of one live job's log, shared by all its followers on this coordinator.</summary>
internal sealed class LiveLog(long start)
{
    private const long MaxBytes = 8 * 1024 * 1024;
    private readonly Lock _lock = new();
    private readonly List<LiveChunk> _chunks = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _tailStart = start;
    private long _end = start;
    private long _bytes;

    public bool Completed { get; private set; }

    public void Append(IEnumerable<LiveChunk> chunks)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            foreach (var chunk in chunks)
            {
                if (chunk.Offset != _end)
                {
                    // Another coordinator ingested part of this log (a worker reconnected elsewhere):
                    // the memory tail has a hole, so restart it here; older bytes come from the store.
                    _chunks.Clear();
                    _bytes = 0;
                    _tailStart = chunk.Offset;
                }

                _chunks.Add(chunk);
                _bytes += chunk.Length;
                _end = chunk.End;
            }

            // Bounded memory (counted decoded, whether or not a follower decoded them yet):
            // followers further back than the tail read from the store.
            while (_bytes > MaxBytes && _chunks.Count > 1)
            {
                _bytes -= _chunks[0].Length;
                _chunks.RemoveAt(0);
                _tailStart = _chunks[0].Offset;
            }

            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    public void Complete()
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            Completed = true;
            changed = _changed;
        }

        changed.TrySetResult();
    }

    /// <summary>
    /// Segments from <paramref name="offset"/>, or null when the offset is older than the memory tail.
    /// <paramref name="changed"/> completes on the next append or completion.
    /// </summary>
    public IReadOnlyList<LogSegment>? ReadFrom(long offset, out Task changed, out bool completed)
    {
        lock (_lock)
        {
            changed = _changed.Task;
            completed = Completed;
            if (offset < _tailStart)
            {
                return null;
            }

            var result = new List<LogSegment>();
            foreach (var chunk in _chunks)
            {
                if (chunk.End > offset)
                {
                    result.Add(chunk.Segment.From(offset));
                }
            }

            return result;
        }
    }
}
