using BuildFarm.Coordinator.Auth;
using BuildFarm.Coordinator.Runs.Pipelines;
using BuildFarm.Protos.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace BuildFarm.Coordinator.Grpc;

/// <summary>gRPC face of stopping executions (HTTP: <c>Api/ExecutionsEndpoints</c>); approvals are <see cref="ApprovalGrpcService"/>.</summary>
public sealed class ExecutionGrpcService(ExecutionStopService stops) : ExecutionService.ExecutionServiceBase
{
    [Authorize(Permissions.Operate)]
    public override async Task<Run> StopExecution(StopExecutionRequest request, ServerCallContext context) =>
        ProtoMapping.ToProto(await stops.StopAsync(GrpcIds.Parse(request.RunId, "run_id"), request.Abandon,
            string.IsNullOrWhiteSpace(request.Reason) ? "stopped over gRPC" : request.Reason, context.CancellationToken));
}
