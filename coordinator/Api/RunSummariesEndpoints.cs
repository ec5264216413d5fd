using BuildFarm.Coordinator.Api.Models;
using BuildFarm.Coordinator.Auth;
using BuildFarm.Coordinator.Runs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BuildFarm.Coordinator.Api;

/// <summary>
/// Read-only list rows for people (the dashboard): the same runs, filters and keyset paging as
/// <c>GET /api/runs</c>, plus the branch and commit each run built.
/// </summary>
public static class RunSummariesEndpoints
{
    public static RouteGroupBuilder MapRunSummariesEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/run-summaries").WithTags("Runs").RequireAuthorization(Permissions.Read);
        group.MapGet("/", ListAsync).WithSummary("Runs newest first with branch and commit; same filters and paging as GET /api/runs.");
        group.MapGet("/{id}", GetAsync).WithSummary("One run's summary row: branch, commit, webhook event.");
        return group;
    }

    private static async Task<Ok<RunSummaryListResponse>> ListAsync(
        RunService runs,
        CancellationToken cancellationToken,
        string? pipeline = null,
        string? status = null,
        int pageSize = 0,
        string? pageToken = null,
        string? branch = null,
        DateTimeOffset? createdAfter = null,
        DateTimeOffset? createdBefore = null)
    {
        var (page, next) = await runs.ListAsync(
            new RunListFilter(pipeline, RunsEndpoints.ParseStatus(status), branch, createdAfter, createdBefore), pageSize, pageToken, cancellationToken);
        return TypedResults.Ok(new RunSummaryListResponse(page.Select(RunSummaryResponse.From).ToList(), next));
    }

    private static async Task<Ok<RunSummaryResponse>> GetAsync(string id, RunService runs, CancellationToken cancellationToken) =>
        TypedResults.Ok(RunSummaryResponse.From(await runs.GetAsync(RunsEndpoints.ParseId(id), cancellationToken)));
}
