using BuildFarm.Coordinator.Auth;
using Microsoft.AspNetCore.Authorization;
using BuildFarm.Protos.V1;
using Grpc.Core;

namespace BuildFarm.Coordinator.Grpc;

public sealed class PipelineGrpcService(Pipelines.PipelineService pipelines) : Protos.V1.PipelineService.PipelineServiceBase
{
    [Authorize(Permissions.Admin)]
    public override async Task<Pipeline> ApplyPipeline(ApplyPipelineRequest request, ServerCallContext context)
    {
        var version = await pipelines.ApplyAsync(request.Name, request.Definition, request.FileName,
            new Pipelines.PipelineVersionSettings(null, null, [.. request.Labels]), context.CancellationToken);
        var (pipeline, stored) = await pipelines.GetAsync(request.Name, version.Version, context.CancellationToken);
        return ProtoMapping.ToProto(pipeline, stored);
    }

    [Authorize(Permissions.Read)]
    public override async Task<Pipeline> GetPipeline(GetPipelineRequest request, ServerCallContext context)
    {
        var (pipeline, version) = await pipelines.GetAsync(request.Name, request.Version, context.CancellationToken);
        return ProtoMapping.ToProto(pipeline, version);
    }

    [Authorize(Permissions.Read)]
    public override async Task<ListPipelinesResponse> ListPipelines(ListPipelinesRequest request, ServerCallContext context)
    {
        var response = new ListPipelinesResponse();
        foreach (var (pipeline, version) in await pipelines.ListAsync(context.CancellationToken))
        {
            response.Pipelines.Add(ProtoMapping.ToProto(pipeline, version));
        }

        return response;
    }

    [Authorize(Permissions.Admin)]
    public override async Task<DeletePipelineResponse> DeletePipeline(DeletePipelineRequest request, ServerCallContext context)
    {
        await pipelines.DeleteAsync(request.Name, context.CancellationToken);
        return new DeletePipelineResponse();
    }
}
