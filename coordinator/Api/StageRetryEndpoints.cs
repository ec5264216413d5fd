using BuildFarm.Coordinator.Api.Models;
using BuildFarm.Coordinator.Auth;
using BuildFarm.Coordinator.Errors;
using BuildFarm.Coordinator.Runs;
using BuildFarm.Coordinator.Runs.Pipelines;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BuildFarm.Coordinator.Api;

/// <summary>Retry a failed stage of a pipeline run within the same execution.</summary>
public static class StageRetryEndpoints
{
    public static RouteGroupBuilder MapStageRetryEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/runs").WithTags("Runs");
        group.MapPost("/{id}/stages/{stage}/retry", RetryAsync).RequireAuthorization(Permissions.Operate)
            .WithSummary("Retry a failed stage in the same run: ?mode=failed (default, its failed actions) or all; 409 unless the run failed or was cancelled.");
        return group;
    }

    private static async Task<Ok<RunResponse>> RetryAsync(
        string id, string stage, StageRetryService retries, RunService runs, CancellationToken cancellationToken, string? mode = null)
    {
        var all = mode?.ToLowerInvariant() switch
        {
            null or "" or "failed" => false,
            "all" => true,
            _ => throw new RequestInvalidException("mode", "mode must be 'failed' or 'all'."),
        };
        var runId = RunsEndpoints.ParseId(id);
        await retries.RetryAsync(runId, stage, all, cancellationToken);
        return TypedResults.Ok(RunResponse.From(await runs.GetAsync(runId, cancellationToken)));
    }
}
