namespace BuildFarm.Coordinator.Logs;

/// <summary>The in-memory tail of one live job's log, shared by all its followers on this coordinator.</summary>
internal sealed class LiveLog(long start)
{
    private const long MaxBytes = 8 * 1024 * 1024;
    private readonly Lock _lock = new();
    private readonly List<LogSegment> _segments = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _tailStart = start;
    private long _end = start;
    private long _bytes;

    public bool Completed { get; private set; }

    public void Append(IReadOnlyList<LogSegment> segments)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            foreach (var segment in segments)
            {
                if (segment.Offset != _end)
                {
                    // Another coordinator ingested part of this log (a worker reconnected elsewhere):
                    // the memory tail has a hole, so restart it here; older bytes come from the store.
                    _segments.Clear();
                    _bytes = 0;
                    _tailStart = segment.Offset;
                }

                _segments.Add(segment);
                _bytes += segment.Data.Length;
                _end = segment.End;
            }

            // Bounded memory: followers further back than the tail read from the store.
            while (_bytes > MaxBytes && _segments.Count > 1)
            {
                _bytes -= _segments[0].Data.Length;
                _segments.RemoveAt(0);
                _tailStart = _segments[0].Offset;
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
            foreach (var segment in _segments)
            {
                if (segment.End > offset)
                {
                    result.Add(segment.From(offset));
                }
            }

            return result;
        }
    }
}
