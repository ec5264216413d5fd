using BuildFarm.Coordinator.Api.Models;
using BuildFarm.Coordinator.Auth;
using BuildFarm.Coordinator.Deployments;
using BuildFarm.Coordinator.Errors;
using BuildFarm.Protos.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace BuildFarm.Coordinator.Grpc;

/// <summary>The deployments API over gRPC, calling the same services as Api/DeploymentsEndpoints with the same permissions.</summary>
public sealed class DeploymentGrpcService(DeploymentCatalog catalog, DeploymentService deployments) : Protos.V1.DeployService.DeployServiceBase
{
    private const int DefaultLimit = 50;

    [Authorize(Permissions.Admin)]
    public override async Task<PutApplicationResponse> PutApplication(PutApplicationRequest request, ServerCallContext context)
    {
        var created = await catalog.PutApplicationAsync(request.Name, context.CancellationToken);
        return new PutApplicationResponse { Name = created.Name, CreatedAt = Timestamp.FromDateTimeOffset(created.CreatedAt) };
    }

    [Authorize(Permissions.Admin)]
    public override async Task<Protos.V1.DeploymentGroup> PutDeploymentGroup(PutDeploymentGroupRequest request, ServerCallContext context)
    {
        var spec = new DeploymentGroupSpec(
            request.TagFilters.Count == 0 ? null : request.TagFilters,
            request.InstanceNames.Count == 0 ? null : request.InstanceNames,
            Empty(request.DeploymentConfig),
            request.AutoRollback,
            request.IgnoreApplicationStopFailures);
        var group = await catalog.PutGroupAsync(request.Application, request.Name, spec, context.CancellationToken);
        return DeploymentProtoMapping.ToProto(DeploymentGroupResponse.From(group));
    }

    [Authorize(Permissions.Trigger)]
    public override async Task<Protos.V1.Deployment> CreateDeployment(CreateDeploymentRequest request, ServerCallContext context)
    {
        if (string.IsNullOrWhiteSpace(request.Application) || string.IsNullOrWhiteSpace(request.Group))
        {
            throw new RequestInvalidException(string.IsNullOrWhiteSpace(request.Application) ? "application" : "group", "application and group are required.");
        }

        var options = new DeploymentRequestOptions(
            Empty(request.DeploymentConfig),
            request.HasIgnoreApplicationStopFailures ? request.IgnoreApplicationStopFailures : null,
            Empty(request.FileExistsBehavior),
            request.HasAutoRollback ? request.AutoRollback : null);
        var deployment = await deployments.CreateAsync(request.Application, request.Group, request.Revision, options, context.CancellationToken);
        return DeploymentProtoMapping.ToProto(DeploymentResponse.From(deployment));
    }

    [Authorize(Permissions.Read)]
    public override async Task<Protos.V1.Deployment> GetDeployment(GetDeploymentRequest request, ServerCallContext context) =>
        DeploymentProtoMapping.ToProto(DeploymentResponse.From(await deployments.GetAsync(ParseId(request.Id), context.CancellationToken)));

    [Authorize(Permissions.Read)]
    public override async Task<ListDeploymentsResponse> ListDeployments(ListDeploymentsRequest request, ServerCallContext context)
    {
        var list = await deployments.ListAsync(
            Empty(request.Application), Empty(request.Group), request.Limit > 0 ? request.Limit : DefaultLimit, context.CancellationToken);
        var response = new ListDeploymentsResponse();
        response.Deployments.AddRange(list.Select(d => DeploymentProtoMapping.ToProto(DeploymentResponse.From(d))));
        return response;
    }

    [Authorize(Permissions.Operate)]
    public override async Task<Protos.V1.Deployment> StopDeployment(StopDeploymentRequest request, ServerCallContext context) =>
        DeploymentProtoMapping.ToProto(DeploymentResponse.From(await deployments.StopAsync(ParseId(request.Id), request.Rollback, context.CancellationToken)));

    private static string? Empty(string value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static Guid ParseId(string id) =>
        Guid.TryParse(id, out var parsed) ? parsed : throw new NotFoundException("Deployment", id);
}
