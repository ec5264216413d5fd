using BuildFarm.Coordinator.Auth;
using Microsoft.AspNetCore.Authorization;
using BuildFarm.Coordinator.Logs;
using BuildFarm.Protos.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace BuildFarm.Coordinator.Grpc;

public sealed class LogGrpcService(RunLogs logs, LogFollower follower) : LogService.LogServiceBase
{
    private const int MaxGetBytes = 4 * 1024 * 1024;

    [Authorize(Permissions.Read)]
    public override async Task<GetLogResponse> GetLog(GetLogRequest request, ServerCallContext context)
    {
        var jobId = await logs.ResolveJobAsync(GrpcIds.Parse(request.RunId, "run_id"), request.Job, context.CancellationToken);
        var (data, next, complete) = await logs.ReadAsync(jobId, request.Offset, MaxGetBytes, context.CancellationToken);
        return new GetLogResponse { Data = UnsafeByteOperations.UnsafeWrap(data), NextOffset = next, Complete = complete };
    }

    [Authorize(Permissions.Read)]
    public override async Task FollowLog(FollowLogRequest request, IServerStreamWriter<Protos.V1.LogSegment> responseStream, ServerCallContext context)
    {
        var jobId = await logs.ResolveJobAsync(GrpcIds.Parse(request.RunId, "run_id"), request.Job, context.CancellationToken);
        var start = await logs.StartOffsetAsync(jobId, request.Offset, request.TailLines, context.CancellationToken);
        await foreach (var segment in follower.FollowAsync(jobId, start, context.CancellationToken))
        {
            await responseStream.WriteAsync(new Protos.V1.LogSegment
            {
                Offset = segment.Offset,
                Stream = (LogStream)segment.Stream,
                Time = Timestamp.FromDateTimeOffset(segment.Time),
                Data = UnsafeByteOperations.UnsafeWrap(segment.Data),
            }, context.CancellationToken);
        }
    }
}
