using System.Runtime.InteropServices;
using System.Threading.Channels;
using BuildFarm.Coordinator.Persistence;
using BuildFarm.Core.Logs;
using BuildFarm.Protos.V1;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;

namespace BuildFarm.Coordinator.Logs;

/// <summary>
/// Stores one attempt's log stream. Chunks that arrived together are committed in one transaction,
/// then acknowledged (cumulatively) and handed to the hub. A resent chunk (seq at or below the
/// stored one) is a no-op; a gap is refused, because the worker resends from the last ack.
/// </summary>
public sealed partial class LogIngest(BuildFarmDbContext db, LogStore store, LogHub hub, ILogger<LogIngest> logger)
{
    private const int MaxBatchMessages = 256;
    private const int MaxBatchBytes = 4 * 1024 * 1024;

    public async Task RunAsync(IAsyncStreamReader<LogUpload> requests, IServerStreamWriter<LogAck> responses, CancellationToken cancellationToken)
    {
        if (!await requests.MoveNext(cancellationToken))
        {
            return;
        }

        var first = requests.Current;
        if (!Guid.TryParse(first.JobId, out var jobId) || !Guid.TryParse(first.AttemptId, out var attemptId))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "The first LogUpload must carry job_id and attempt_id as UUIDs."));
        }

        // A log belongs to a build job or to one instance of a deployment (its hooks' output); both share this path.
        var currentAttempt = await db.Jobs.AsNoTracking().Where(j => j.Id == jobId).Select(j => (Guid?)j.AttemptId).FirstOrDefaultAsync(cancellationToken)
            ?? await db.DeploymentInstances.AsNoTracking().Where(i => i.Id == jobId).Select(i => (Guid?)i.AttemptId).FirstOrDefaultAsync(cancellationToken)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"Job {jobId} was not found."));
        if (currentAttempt != attemptId)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"Attempt {attemptId} is not the job's current attempt."));
        }

        var (lastSeq, end) = await store.GetEndAsync(jobId, cancellationToken);
        hub.Open(jobId, end);
        await responses.WriteAsync(new LogAck { AckedSeq = lastSeq }, cancellationToken);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["JobId"] = jobId, ["AttemptId"] = attemptId });

        // The reader runs ahead into a bounded channel so that chunks arriving while a batch
        // commits are taken together into the next one.
        var pending = Channel.CreateBounded<LogUpload>(new BoundedChannelOptions(MaxBatchMessages * 2) { SingleReader = true, SingleWriter = true });
        var reading = PumpAsync(first, requests, pending.Writer, cancellationToken);
        var batch = new List<Persistence.Entities.LogChunk>();
        while (await pending.Reader.WaitToReadAsync(cancellationToken))
        {
            var bytes = 0;
            while (batch.Count < MaxBatchMessages && bytes < MaxBatchBytes && pending.Reader.TryRead(out var upload))
            {
                var chunk = upload.Chunk;
                if (chunk is null || chunk.Seq <= lastSeq)
                {
                    continue;
                }

                if (chunk.Seq != lastSeq + 1)
                {
                    throw new RpcException(new Status(StatusCode.FailedPrecondition, $"Log chunk {chunk.Seq} arrived after {lastSeq}: resend from {lastSeq + 1}."));
                }

                // Parsing gave the chunk its own array of exactly its bytes: store that, not a copy of it.
                var data = MemoryMarshal.TryGetArray(chunk.Data.Memory, out var parsed) && parsed.Offset == 0 && parsed.Count == parsed.Array!.Length
                    ? parsed.Array
                    : chunk.Data.ToByteArray();
                var time = chunk.Time?.ToDateTimeOffset() ?? DateTimeOffset.UtcNow;
                // Stored as the worker encoded it; the hub decodes it once if a follower reads it.
                var stored = new Persistence.Entities.LogChunk
                {
                    JobId = jobId,
                    Seq = chunk.Seq,
                    Offset = end,
                    Length = chunk.Encoding == LogEncoding.Raw ? data.Length : chunk.Length,
                    Stream = (int)chunk.Stream,
                    Time = time,
                    Encoding = (LogChunkEncoding)chunk.Encoding,
                    Data = data,
                };
                CheckLength(stored);
                batch.Add(stored);
                end += stored.Length;
                lastSeq = chunk.Seq;
                bytes += data.Length;
            }

            if (batch.Count > 0)
            {
                db.LogChunks.AddRange(batch);
                await db.SaveChangesAsync(cancellationToken);
                db.ChangeTracker.Clear();
                hub.Append(jobId, batch.ToList());
                LogStored(logger, batch.Count, lastSeq);
                batch.Clear();
            }

            await responses.WriteAsync(new LogAck { AckedSeq = lastSeq }, cancellationToken);
        }

        await reading;
    }

    private static void CheckLength(Persistence.Entities.LogChunk chunk)
    {
        try
        {
            LogChunkCodec.CheckLength(chunk.Encoding, chunk.Data, chunk.Length);
        }
        catch (InvalidDataException ex)
        {
            // Refused before it is stored: a chunk no reader could decode would break the log for good.
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"Log chunk {chunk.Seq}: {ex.Message}"));
        }
    }

    private static async Task PumpAsync(LogUpload first, IAsyncStreamReader<LogUpload> requests, ChannelWriter<LogUpload> writer, CancellationToken cancellationToken)
    {
        try
        {
            await writer.WriteAsync(first, cancellationToken);
            while (await requests.MoveNext(cancellationToken))
            {
                await writer.WriteAsync(requests.Current, cancellationToken);
            }

            writer.Complete();
        }
        catch (Exception ex)
        {
            writer.Complete(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Trace, Message = "Stored {Count} log chunk(s) up to seq {Seq}")]
    private static partial void LogStored(ILogger logger, int count, long seq);
}
