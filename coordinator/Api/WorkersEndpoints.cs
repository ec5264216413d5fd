using BuildFarm.Coordinator.Api.Models;
using BuildFarm.Coordinator.Auth;
using BuildFarm.Coordinator.Runs.Scheduling;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BuildFarm.Coordinator.Api;

/// <summary>The workers that have heartbeated, for operators and the dashboard; drain, disable, enable.</summary>
public static class WorkersEndpoints
{
    public static RouteGroupBuilder MapWorkersEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/workers").WithTags("Workers").RequireAuthorization(Permissions.Read);
        group.MapGet("/", ListAsync).WithSummary("Workers by id: last heartbeat, free slots, running jobs, alive (heartbeat within the lease), mode.");
        group.MapPost("/{id}/drain", (string id, WorkerRoster roster, CancellationToken ct) => SetAsync(id, WorkerMode.Draining, roster, ct))
            .RequireAuthorization(Permissions.Operate)
            .WithSummary("The worker finishes its jobs and claims nothing new.");
        group.MapPost("/{id}/disable", (string id, WorkerRoster roster, CancellationToken ct) => SetAsync(id, WorkerMode.Disabled, roster, ct))
            .RequireAuthorization(Permissions.Operate)
            .WithSummary("The worker claims nothing new until enabled (its running jobs finish).");
        group.MapPost("/{id}/enable", (string id, WorkerRoster roster, CancellationToken ct) => SetAsync(id, WorkerMode.Active, roster, ct))
            .RequireAuthorization(Permissions.Operate)
            .WithSummary("The worker claims jobs again.");
        return group;
    }

    private static async Task<Ok<WorkerResponse>> SetAsync(string id, WorkerMode mode, WorkerRoster roster, CancellationToken cancellationToken) =>
        TypedResults.Ok(WorkerResponse.From(await roster.SetModeAsync(id, mode, cancellationToken)));

    private static async Task<Ok<List<WorkerResponse>>> ListAsync(WorkerRoster roster, CancellationToken cancellationToken) =>
        TypedResults.Ok((await roster.ListAsync(cancellationToken)).Select(WorkerResponse.From).ToList());
}
