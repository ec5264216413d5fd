using BuildFarm.Coordinator.Api.Models;
using BuildFarm.Coordinator.Auth;
using BuildFarm.Coordinator.Runs.Scheduling;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BuildFarm.Coordinator.Api;

/// <summary>Read-only: the workers that have heartbeated, for operators and the dashboard.</summary>
public static class WorkersEndpoints
{
    public static RouteGroupBuilder MapWorkersEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/workers").WithTags("Workers").RequireAuthorization(Permissions.Read);
        group.MapGet("/", ListAsync).WithSummary("Workers by id: last heartbeat, free slots, running jobs, alive (heartbeat within the lease).");
        return group;
    }

    private static async Task<Ok<List<WorkerResponse>>> ListAsync(WorkerRoster roster, CancellationToken cancellationToken) =>
        TypedResults.Ok((await roster.ListAsync(cancellationToken)).Select(WorkerResponse.From).ToList());
}
