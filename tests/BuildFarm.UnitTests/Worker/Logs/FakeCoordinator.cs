extern alias coordinator;

using System.Net;
using BuildFarm.Core.Logs;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using CoordinatorProtos = coordinator::BuildFarm.Protos.V1;

namespace BuildFarm.UnitTests.Worker.Logs;

/// <summary>
/// An in-process gRPC server that plays the coordinator's side of StreamLogs as LogIngest does:
/// refuses gaps, ignores resent chunks, and acknowledges only what it "committed".
/// </summary>
internal sealed class FakeCoordinator : CoordinatorProtos.WorkerGateway.WorkerGatewayBase, IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<CoordinatorProtos.LogChunk> _committed = [];
    private WebApplication? _app;
    private int _streams;

    /// <summary>Chunks taken per commit and acknowledgement.</summary>
    public int CommitEvery { get; init; } = 5;

    /// <summary>On the first stream, fail like a restarting coordinator after this many chunks, losing what it had not committed.</summary>
    public int BreakFirstStreamAfter { get; init; } = int.MaxValue;

    /// <summary>Completed to let streams get their first acknowledgement; until then the coordinator is "busy".</summary>
    public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Uri Address { get; private set; } = null!;

    public int Streams => Volatile.Read(ref _streams);

    public bool Ended { get; private set; }

    public IReadOnlyList<CoordinatorProtos.LogChunk> Committed
    {
        get
        {
            lock (_gate)
            {
                return [.. _committed];
            }
        }
    }

    /// <summary>Stores <paramref name="count"/> chunks as an earlier attempt of the job would have.</summary>
    public void Preload(int count)
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                _committed.Add(new CoordinatorProtos.LogChunk { Seq = _committed.Count + 1, Data = Google.Protobuf.ByteString.CopyFromUtf8("earlier attempt\n") });
            }
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(o => o.MaxReceiveMessageSize = 16 * 1024 * 1024);
        builder.Services.AddSingleton(this);
        _app = builder.Build();
        _app.MapGrpcService<FakeCoordinator>();
        await _app.StartAsync(cancellationToken);
        Address = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public override async Task StreamLogs(IAsyncStreamReader<CoordinatorProtos.LogUpload> requestStream, IServerStreamWriter<CoordinatorProtos.LogAck> responseStream, ServerCallContext context)
    {
        var stream = Interlocked.Increment(ref _streams);
        var cancellationToken = context.CancellationToken;
        if (!await requestStream.MoveNext(cancellationToken))
        {
            return;
        }

        await Open.Task.WaitAsync(cancellationToken);
        long last = Committed.Count;
        await responseStream.WriteAsync(new CoordinatorProtos.LogAck { AckedSeq = last }, cancellationToken);
        var uncommitted = new List<CoordinatorProtos.LogChunk>();
        var received = 0;
        while (await requestStream.MoveNext(cancellationToken))
        {
            var upload = requestStream.Current;
            if (upload.End)
            {
                Ended = true;
                continue;
            }

            var chunk = Decoded(upload.Chunk);
            if (chunk.Seq <= last + uncommitted.Count)
            {
                continue;
            }

            if (chunk.Seq != last + uncommitted.Count + 1)
            {
                throw new RpcException(new Status(StatusCode.FailedPrecondition, $"chunk {chunk.Seq} after {last + uncommitted.Count}"));
            }

            uncommitted.Add(chunk);
            if (stream == 1 && ++received == BreakFirstStreamAfter)
            {
                throw new RpcException(new Status(StatusCode.Unavailable, "the fake coordinator restarts"));
            }

            if (uncommitted.Count >= CommitEvery)
            {
                last = await CommitAsync(uncommitted, responseStream, cancellationToken);
            }
        }

        await CommitAsync(uncommitted, responseStream, cancellationToken);
    }

    /// <summary>The chunk with the bytes a reader of the real coordinator gets; its Encoding still says how it travelled.</summary>
    private static CoordinatorProtos.LogChunk Decoded(CoordinatorProtos.LogChunk chunk) =>
        chunk.Encoding == CoordinatorProtos.LogEncoding.Raw
            ? chunk
            : new CoordinatorProtos.LogChunk(chunk) { Data = Google.Protobuf.ByteString.CopyFrom(LogChunkCodec.Decode((LogChunkEncoding)chunk.Encoding, chunk.Data.ToByteArray(), chunk.Length)) };

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private async Task<long> CommitAsync(List<CoordinatorProtos.LogChunk> uncommitted, IServerStreamWriter<CoordinatorProtos.LogAck> responseStream, CancellationToken cancellationToken)
    {
        long last;
        lock (_gate)
        {
            _committed.AddRange(uncommitted);
            last = _committed.Count;
        }

        uncommitted.Clear();
        await responseStream.WriteAsync(new CoordinatorProtos.LogAck { AckedSeq = last }, cancellationToken);
        return last;
    }
}
