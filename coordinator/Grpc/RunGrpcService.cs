using BuildFarm.Coordinator.Auth;
using Microsoft.AspNetCore.Authorization;
using BuildFarm.Coordinator.Runs;
using BuildFarm.Protos.V1;
using Grpc.Core;

namespace BuildFarm.Coordinator.Grpc;

public sealed class RunGrpcService(Runs.RunService runs) : Protos.V1.RunService.RunServiceBase
{
    [Authorize(Permissions.Trigger)]
    public override async Task<Run> TriggerRun(TriggerRunRequest request, ServerCallContext context)
    {
        var correlation = string.IsNullOrEmpty(request.CorrelationId) ? Guid.NewGuid() : GrpcIds.Parse(request.CorrelationId, "correlation_id");
        var run = await runs.TriggerAsync(
            new RunTrigger(request.Pipeline, request.IdempotencyKey, SourceVersion.Apply(request.Variables, request.SourceVersion), correlation, "grpc"),
            context.CancellationToken);
        return ProtoMapping.ToProto(run);
    }

    [Authorize(Permissions.Read)]
    public override async Task<Run> GetRun(GetRunRequest request, ServerCallContext context) =>
        ProtoMapping.ToProto(await runs.GetAsync(GrpcIds.Parse(request.RunId, "run_id"), context.CancellationToken));

    [Authorize(Permissions.Operate)]
    public override async Task<Run> CancelRun(CancelRunRequest request, ServerCallContext context) =>
        ProtoMapping.ToProto(await runs.CancelAsync(GrpcIds.Parse(request.RunId, "run_id"), "cancelled over gRPC", context.CancellationToken));

    [Authorize(Permissions.Operate)]
    public override async Task<Run> RetryRun(RetryRunRequest request, ServerCallContext context) =>
        ProtoMapping.ToProto(await runs.RetryAsync(GrpcIds.Parse(request.RunId, "run_id"), context.CancellationToken));

    [Authorize(Permissions.Read)]
    public override async Task<ListRunsResponse> ListRuns(ListRunsRequest request, ServerCallContext context)
    {
        var filter = new RunListFilter(
            request.Pipeline, ToStatus(request.Status), request.Branch, request.CreatedAfter?.ToDateTimeOffset(), request.CreatedBefore?.ToDateTimeOffset());
        var (page, next) = await runs.ListAsync(filter, request.PageSize, request.PageToken, context.CancellationToken);
        var response = new ListRunsResponse { NextPageToken = next ?? "" };
        response.Runs.AddRange(page.Select(ProtoMapping.ToProto));
        return response;
    }

    private static Core.Runs.RunStatus? ToStatus(RunStatus status) => status switch
    {
        RunStatus.Unspecified => null,
        RunStatus.Queued => Core.Runs.RunStatus.Queued,
        RunStatus.Running => Core.Runs.RunStatus.Running,
        RunStatus.Cancelling => Core.Runs.RunStatus.Cancelling,
        RunStatus.Succeeded => Core.Runs.RunStatus.Succeeded,
        RunStatus.Failed => Core.Runs.RunStatus.Failed,
        RunStatus.Cancelled => Core.Runs.RunStatus.Cancelled,
        RunStatus.Waiting => Core.Runs.RunStatus.Waiting,
        RunStatus.Superseded => Core.Runs.RunStatus.Superseded,
        _ => throw new Errors.RequestInvalidException("status", $"Unknown run status {(int)status}."),
    };
}
