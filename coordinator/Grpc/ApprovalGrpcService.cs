using System.Security.Claims;
using BuildFarm.Coordinator.Auth;
using BuildFarm.Coordinator.Errors;
using BuildFarm.Protos.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Approvals = BuildFarm.Coordinator.Runs.Pipelines.ApprovalService;

namespace BuildFarm.Coordinator.Grpc;

/// <summary>Approve or reject a waiting approval action over gRPC: the same rules as <c>POST /api/runs/{id}/approvals/{stage}/{action}</c>.</summary>
public sealed class ApprovalGrpcService(Approvals approvals, Runs.RunService runs) : Protos.V1.ApprovalService.ApprovalServiceBase
{
    [Authorize(Permissions.Operate)]
    public override async Task<Run> DecideApproval(DecideApprovalRequest request, ServerCallContext context)
    {
        var approve = request.Decision switch
        {
            ApprovalDecision.Approve => true,
            ApprovalDecision.Reject => false,
            _ => throw new RequestInvalidException("decision", "decision must be APPROVE or REJECT."),
        };
        var runId = GrpcIds.Parse(request.RunId, "run_id");
        var by = context.GetHttpContext().User.FindFirstValue(ClaimTypes.Name) ?? "anonymous";
        await approvals.DecideAsync(runId, request.Stage, request.Action, approve, request.Comment, by, context.CancellationToken);
        return ProtoMapping.ToProto(await runs.GetAsync(runId, context.CancellationToken));
    }
}
