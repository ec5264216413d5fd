using System.Security.Claims;
using BuildFarm.Coordinator.Auth;
using BuildFarm.Coordinator.Runs.Pipelines;
using BuildFarm.Protos.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace BuildFarm.Coordinator.Grpc;

/// <summary>gRPC face of stopping executions and deciding approvals (HTTP: <c>Api/ExecutionsEndpoints</c>, <c>Api/ApprovalsEndpoints</c>).</summary>
public sealed class ExecutionGrpcService(ExecutionStopService stops, ApprovalService approvals, Runs.RunService runs) : ExecutionService.ExecutionServiceBase
{
    [Authorize(Permissions.Operate)]
    public override async Task<Run> StopExecution(StopExecutionRequest request, ServerCallContext context) =>
        ProtoMapping.ToProto(await stops.StopAsync(GrpcIds.Parse(request.RunId, "run_id"), request.Abandon,
            string.IsNullOrWhiteSpace(request.Reason) ? "stopped over gRPC" : request.Reason, context.CancellationToken));

    [Authorize(Permissions.Operate)]
    public override async Task<Run> DecideApproval(DecideApprovalRequest request, ServerCallContext context)
    {
        var runId = GrpcIds.Parse(request.RunId, "run_id");
        var who = context.GetHttpContext().User.FindFirstValue(ClaimTypes.Name) ?? "anonymous";
        await approvals.DecideAsync(runId, request.Stage, request.Action, request.Approve, string.IsNullOrEmpty(request.Comment) ? null : request.Comment, who, context.CancellationToken);
        return ProtoMapping.ToProto(await runs.GetAsync(runId, context.CancellationToken));
    }
}
