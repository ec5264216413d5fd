using BuildFarm.Coordinator.Auth;
using BuildFarm.Coordinator.Runs.Scheduling;
using BuildFarm.Protos.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Mode = BuildFarm.Coordinator.Runs.Scheduling.WorkerMode;

namespace BuildFarm.Coordinator.Grpc;

/// <summary>The public face of the worker roster (the workers' own calls are <see cref="WorkerGatewayGrpcService"/>).</summary>
public sealed class WorkerGrpcService(WorkerRoster roster) : WorkerService.WorkerServiceBase
{
    [Authorize(Permissions.Read)]
    public override async Task<ListWorkersResponse> ListWorkers(ListWorkersRequest request, ServerCallContext context)
    {
        var response = new ListWorkersResponse();
        response.Workers.AddRange((await roster.ListAsync(context.CancellationToken)).Select(ToProto));
        return response;
    }

    [Authorize(Permissions.Operate)]
    public override async Task<WorkerInfo> DrainWorker(WorkerRequest request, ServerCallContext context) =>
        ToProto(await roster.SetModeAsync(request.Id, Mode.Draining, context.CancellationToken));

    [Authorize(Permissions.Operate)]
    public override async Task<WorkerInfo> DisableWorker(WorkerRequest request, ServerCallContext context) =>
        ToProto(await roster.SetModeAsync(request.Id, Mode.Disabled, context.CancellationToken));

    [Authorize(Permissions.Operate)]
    public override async Task<WorkerInfo> EnableWorker(WorkerRequest request, ServerCallContext context) =>
        ToProto(await roster.SetModeAsync(request.Id, Mode.Active, context.CancellationToken));

    private static WorkerInfo ToProto(WorkerState worker) => new()
    {
        Id = worker.Id,
        LastHeartbeatAt = Timestamp.FromDateTimeOffset(worker.LastHeartbeatAt),
        FreeSlots = worker.FreeSlots,
        RunningJobs = worker.RunningJobs,
        Alive = worker.Alive,
        Labels = { worker.Labels },
        Mode = worker.Mode switch
        {
            Mode.Draining => Protos.V1.WorkerMode.Draining,
            Mode.Disabled => Protos.V1.WorkerMode.Disabled,
            _ => Protos.V1.WorkerMode.Active,
        },
    };
}
