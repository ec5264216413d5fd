using BuildFarm.Core.Logs;
using BuildFarm.Protos.V1;
using BuildFarm.Worker.Coordinator;
using BuildFarm.Worker.Options;
using Google.Protobuf;
using Grpc.Core;

namespace BuildFarm.Worker.Logs;

/// <summary>
/// Ships one attempt's log over a gRPC stream. Chunks stay pending until the coordinator acknowledges
/// them (after its commit); when the stream breaks, a new one resumes after the last acknowledged
/// sequence, so nothing is lost and the coordinator's (job, seq) key drops any duplicate.
/// </summary>
/// <remarks>
/// Pending chunks live in a <see cref="SpillBuffer"/>: memory up to <see cref="LogOptions.MemoryBudgetBytes"/>,
/// then a file, so the worker stays small while a step prints gigabytes to a coordinator that is
/// slow or away. The memory budget is also the window of chunks sent but not yet acknowledged.
/// </remarks>
public sealed partial class LogShipper : ILogChunkSink, IAsyncDisposable
{
    // Chunks taken from the buffer per lock, so the step's Enqueue never waits behind a long send.
    private const int MaxChunksPerTake = 64;

    private readonly WorkerGatewayClient _client;
    private readonly Guid _jobId;
    private readonly Guid _attemptId;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int _compressionLevel;
    private readonly Lock _lock = new();
    private readonly SpillBuffer _pending;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _completing;
    private int _failuresReported;

    /// <summary>Starts shipping at once.</summary>
    /// <param name="client">The coordinator.</param>
    /// <param name="jobId">The job whose log this is.</param>
    /// <param name="attemptId">The attempt the coordinator granted.</param>
    /// <param name="time">For retry back-off and the completion timeout.</param>
    /// <param name="logger">Where stream failures and spill failures are reported.</param>
    /// <param name="options">Memory budget and spill directory; <see cref="LogOptions"/>' defaults when null.</param>
    /// <param name="logSeqStart">
    /// ClaimJobResponse.log_seq_start: the job's log continues across attempts, and this attempt's
    /// first chunk is numbered one past it. If the coordinator turns out to hold more, the shipper
    /// numbers on from what it acknowledges.
    /// </param>
    public LogShipper(WorkerGatewayClient client, Guid jobId, Guid attemptId, TimeProvider time, ILogger logger, LogOptions? options = null, long logSeqStart = 0)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        options ??= new LogOptions();
        _client = client;
        _jobId = jobId;
        _attemptId = attemptId;
        _time = time;
        _logger = logger;
        _compressionLevel = options.CompressionLevel;
        _pending = new SpillBuffer(options.SpillDirectory, options.MemoryBudgetBytes, time, logSeqStart);
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>Highest sequence the coordinator has durably stored.</summary>
    public long Acked
    {
        get
        {
            lock (_lock)
            {
                return _pending.Acked;
            }
        }
    }

    /// <summary>Bytes of the log lost because the spill file failed (the log has a marker for them).</summary>
    public long LostBytes
    {
        get
        {
            lock (_lock)
            {
                return _pending.LostBytes;
            }
        }
    }

    /// <summary>Bytes that went through the spill file because the coordinator lagged.</summary>
    public long SpilledBytes
    {
        get
        {
            lock (_lock)
            {
                return _pending.TotalSpilledBytes;
            }
        }
    }

    /// <summary>The most memory the pending chunks took, per-chunk overhead included.</summary>
    public long PeakMemoryBytes
    {
        get
        {
            lock (_lock)
            {
                return _pending.PeakMemoryBytes;
            }
        }
    }

    /// <summary>
    /// Big chunks while a MiB or more waits for its acknowledgement (or in the spill file): the coordinator
    /// is behind, and per-chunk costs (a message, a row, an ack) are what it can save.
    /// </summary>
    public int NextChunkBytes
    {
        get
        {
            lock (_lock)
            {
                return _pending.HasBacklog || _pending.MemoryBytes >= LogBatcher.MaxBacklogChunkBytes
                    ? LogBatcher.MaxBacklogChunkBytes
                    : LogBatcher.MaxChunkBytes;
            }
        }
    }

    /// <summary>Queues a chunk; never blocks the step that produced it.</summary>
    public void Enqueue(LogStream stream, DateTimeOffset time, ReadOnlyMemory<byte> data)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            _pending.Append(stream, time, data.Span);
            changed = Swap();
        }

        changed.TrySetResult();
        ReportSpillFailures();
    }

    /// <summary>Waits until every queued chunk is acknowledged, or gives up after <paramref name="timeout"/>.</summary>
    public async Task<bool> CompleteAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            _completing = true;
            changed = Swap();
        }

        changed.TrySetResult();
        var finished = await Task.WhenAny(_loop, Task.Delay(timeout, _time, cancellationToken)) == _loop;
        lock (_lock)
        {
            return finished && _pending.IsDrained;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // Stopped on purpose.
        }

        lock (_lock)
        {
            _pending.Dispose();
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (await StreamOnceAsync(cancellationToken))
                {
                    return;
                }

                failures = 0;
            }
            catch (Exception ex) when (ex is RpcException or IOException or HttpRequestException or InvalidOperationException
                && !cancellationToken.IsCancellationRequested)
            {
                // The coordinator restarted or the network broke: resume from the last ack.
                failures++;
                LogStreamBroken(_logger, ex, failures);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 50 * (1 << Math.Min(failures, 7)))), _time, cancellationToken);
            }
        }
    }

    /// <summary>One stream's life; true when the log is complete and fully acknowledged.</summary>
    private async Task<bool> StreamOnceAsync(CancellationToken cancellationToken)
    {
        using var call = _client.Gateway.StreamLogs(cancellationToken: cancellationToken);
        await call.RequestStream.WriteAsync(new LogUpload { JobId = _jobId.ToString(), AttemptId = _attemptId.ToString() }, cancellationToken);
        if (!await call.ResponseStream.MoveNext(cancellationToken))
        {
            throw new InvalidOperationException("The coordinator closed the log stream without acknowledging.");
        }

        OnAck(call.ResponseStream.Current.AckedSeq);
        var acks = ReadAcksAsync(call.ResponseStream, cancellationToken);
        var toSend = new List<LogChunk>(MaxChunksPerTake);
        long sent = 0;
        while (true)
        {
            Task changed;
            bool allSent;
            bool completing;
            lock (_lock)
            {
                // Acks only move forward, and on a new stream the first one says where to resume.
                sent = Math.Max(sent, _pending.Acked);
                toSend.Clear();
                while (toSend.Count < MaxChunksPerTake && _pending.TryGet(sent + toSend.Count + 1, out var chunk))
                {
                    toSend.Add(chunk);
                }

                allSent = sent + toSend.Count == _pending.LastSeq && !_pending.HasBacklog;
                changed = _changed.Task;
                completing = _completing;
            }

            ReportSpillFailures();
            foreach (var chunk in toSend)
            {
                await call.RequestStream.WriteAsync(new LogUpload { Chunk = Compress(chunk) }, cancellationToken);
                sent = chunk.Seq;
            }

            if (toSend.Count > 0)
            {
                continue;
            }

            if (completing && allSent)
            {
                await call.RequestStream.WriteAsync(new LogUpload { End = true }, cancellationToken);
                await call.RequestStream.CompleteAsync();
                await acks;
                lock (_lock)
                {
                    return _pending.IsDrained;
                }
            }

            if (acks.IsCompleted)
            {
                await acks;
                throw new InvalidOperationException("The coordinator ended the log stream early.");
            }

            // Nothing to send: either all is sent, or memory is full of chunks awaiting their ack.
            await Task.WhenAny(changed, acks);
        }
    }

    /// <summary>
    /// The chunk as it goes on the wire and into the coordinator's store. Compressed here, outside
    /// the lock and off the step's readers, so the step never waits for zstd; the pending chunk
    /// stays raw, and a resend after a broken stream compresses it again.
    /// </summary>
    private LogChunk Compress(LogChunk chunk) =>
        LogChunkCodec.Compress(chunk.Data.Span, _compressionLevel) is { } compressed
            ? new LogChunk(chunk) { Data = UnsafeByteOperations.UnsafeWrap(compressed), Encoding = LogEncoding.Zstd, Length = chunk.Data.Length }
            : chunk;

    private async Task ReadAcksAsync(IAsyncStreamReader<LogAck> responses, CancellationToken cancellationToken)
    {
        while (await responses.MoveNext(cancellationToken))
        {
            OnAck(responses.Current.AckedSeq);
        }
    }

    private void OnAck(long seq)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            _pending.Ack(seq);
            changed = Swap();
        }

        changed.TrySetResult();
    }

    /// <summary>Puts each spill failure in the worker's log once; the job's log gets its own marker.</summary>
    private void ReportSpillFailures()
    {
        int failures;
        Exception? failure;
        lock (_lock)
        {
            failures = _pending.FailureCount;
            failure = _pending.LastFailure;
            if (failures == _failuresReported)
            {
                return;
            }

            _failuresReported = failures;
        }

        LogSpillFailed(_logger, failure, failures);
    }

    private TaskCompletionSource Swap()
    {
        var changed = _changed;
        _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        return changed;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not spill the job's log to disk ({Failures} failure(s) so far); output is dropped until the backlog drains, and the log says how much")]
    private static partial void LogSpillFailed(ILogger logger, Exception? exception, int failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Log stream broke ({Failures} in a row); resuming from the last acknowledged chunk")]
    private static partial void LogStreamBroken(ILogger logger, Exception exception, int failures);
}
