using BuildFarm.Coordinator.Api.Models;
using BuildFarm.Coordinator.Auth;
using BuildFarm.Coordinator.Errors;
using BuildFarm.Coordinator.Runs.Pipelines;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BuildFarm.Coordinator.Api;

/// <summary>Stop an execution: <c>POST /api/runs/{id}/stop</c> with <c>{mode: wait|abandon, reason?}</c>.</summary>
public static class ExecutionsEndpoints
{
    public static RouteGroupBuilder MapExecutionsEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/runs").WithTags("Runs");
        group.MapPost("/{id}/stop", StopAsync).RequireAuthorization(Permissions.Operate)
            .WithSummary("Stop an execution: mode wait (default: started actions finish, nothing new starts) or abandon (started actions are cancelled too); 409 once it has finished.");
        return group;
    }

    private static async Task<Ok<RunResponse>> StopAsync(string id, StopExecutionBody? body, ExecutionStopService stops, CancellationToken cancellationToken)
    {
        var abandon = (body?.Mode ?? "wait").ToLowerInvariant() switch
        {
            "wait" => false,
            "abandon" => true,
            _ => throw new RequestInvalidException("mode", "mode must be 'wait' (stop and wait) or 'abandon' (stop and abandon)."),
        };
        var run = await stops.StopAsync(RunsEndpoints.ParseId(id), abandon,
            string.IsNullOrWhiteSpace(body?.Reason) ? $"stopped ({(abandon ? "abandon" : "wait")}) over HTTP" : body.Reason, cancellationToken);
        return TypedResults.Ok(RunResponse.From(run));
    }
}
