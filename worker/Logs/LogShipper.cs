using BuildFarm.Protos.V1;
using BuildFarm.Worker.Coordinator;
using Grpc.Core;

namespace BuildFarm.Worker.Logs;

/// <summary>
/// Ships one attempt's log over a gRPC stream. Chunks stay pending until the coordinator acknowledges
/// them (after its commit); when the stream breaks, a new one resumes after the last acknowledged
/// sequence, so nothing is lost and the coordinator's (job, seq) key drops any duplicate.
/// </summary>
public sealed partial class LogShipper : IAsyncDisposable
{
    private readonly WorkerGatewayClient _client;
    private readonly Guid _jobId;
    private readonly Guid _attemptId;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    // Pending chunks in sequence order: [acked + 1 .. lastSeq].
    private readonly List<LogChunk> _pending = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastSeq;
    private long _acked;
    private bool _completing;

    public LogShipper(WorkerGatewayClient client, Guid jobId, Guid attemptId, TimeProvider time, ILogger logger)
    {
        _client = client;
        _jobId = jobId;
        _attemptId = attemptId;
        _time = time;
        _logger = logger;
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>Highest sequence the coordinator has durably stored.</summary>
    public long Acked
    {
        get
        {
            lock (_lock)
            {
                return _acked;
            }
        }
    }

    /// <summary>Queues a chunk; never blocks the step that produced it.</summary>
    public void Enqueue(LogStream stream, DateTimeOffset time, ReadOnlyMemory<byte> data)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            _pending.Add(new LogChunk
            {
                Seq = ++_lastSeq,
                Stream = stream,
                Time = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(time),
                Data = Google.Protobuf.ByteString.CopyFrom(data.Span),
            });
            changed = Swap();
        }

        changed.TrySetResult();
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
        return finished && Acked == _lastSeq;
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
        long sent;
        lock (_lock)
        {
            sent = _acked;
        }

        while (true)
        {
            List<LogChunk> toSend;
            Task changed;
            bool completing;
            lock (_lock)
            {
                toSend = _pending.Where(c => c.Seq > sent).ToList();
                changed = _changed.Task;
                completing = _completing;
            }

            foreach (var chunk in toSend)
            {
                await call.RequestStream.WriteAsync(new LogUpload { Chunk = chunk }, cancellationToken);
                sent = chunk.Seq;
            }

            if (toSend.Count > 0)
            {
                continue;
            }

            if (completing)
            {
                await call.RequestStream.WriteAsync(new LogUpload { End = true }, cancellationToken);
                await call.RequestStream.CompleteAsync();
                await acks;
                lock (_lock)
                {
                    return _acked == _lastSeq;
                }
            }

            if (acks.IsCompleted)
            {
                await acks;
                throw new InvalidOperationException("The coordinator ended the log stream early.");
            }

            await Task.WhenAny(changed, acks);
        }
    }

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
            if (seq > _acked)
            {
                _acked = seq;
                var drop = _pending.FindIndex(c => c.Seq > seq);
                _pending.RemoveRange(0, drop < 0 ? _pending.Count : drop);
            }

            changed = Swap();
        }

        changed.TrySetResult();
    }

    private TaskCompletionSource Swap()
    {
        var changed = _changed;
        _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        return changed;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Log stream broke ({Failures} in a row); resuming from the last acknowledged chunk")]
    private static partial void LogStreamBroken(ILogger logger, Exception exception, int failures);
}
