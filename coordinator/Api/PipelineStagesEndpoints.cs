using BuildFarm.Coordinator.Api.Models;
using BuildFarm.Coordinator.Auth;
using BuildFarm.Coordinator.Pipelines;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BuildFarm.Coordinator.Api;

/// <summary>Read-only: a pipeline version's stages → actions, so a client draws them without parsing YAML itself.</summary>
public static class PipelineStagesEndpoints
{
    public static RouteHandlerBuilder MapPipelineStagesEndpoints(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/pipelines/{name}/stages", GetAsync)
            .WithTags("Pipelines")
            .RequireAuthorization(Permissions.Read)
            .WithSummary("A version's stages left to right with their actions (category, runOrder, artifacts, configuration); ?version= (default latest). A buildspec is one stage 'build' with its phases.");

    private static async Task<Ok<PipelineStagesResponse>> GetAsync(string name, PipelineService pipelines, CancellationToken cancellationToken, int version = 0)
    {
        var (pipeline, stored) = await pipelines.GetAsync(name, version, cancellationToken);
        return TypedResults.Ok(PipelineStagesResponse.From(pipeline, stored));
    }
}
