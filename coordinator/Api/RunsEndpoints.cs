using BuildFarm.Coordinator.Auth;
using BuildFarm.Coordinator.Api.Models;
using BuildFarm.Coordinator.Errors;
using BuildFarm.Coordinator.Runs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BuildFarm.Coordinator.Api;

public static class RunsEndpoints
{
    public static RouteGroupBuilder MapRunsEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/runs").WithTags("Runs");
        group.MapGet("/", ListAsync).RequireAuthorization(Permissions.Read)
            .WithSummary("Runs newest first, filtered by pipeline, status, branch and creation time (createdAfter, createdBefore: ISO 8601), keyset-paged by nextPageToken.");
        group.MapPost("/", TriggerAsync).RequireAuthorization(Permissions.Trigger)
            .WithSummary("Trigger a run of a pipeline's latest version: {pipeline, variables?, sourceVersion?, idempotencyKey?, correlationId?}.");
        group.MapGet("/{id}", GetAsync).RequireAuthorization(Permissions.Read);
        group.MapGet("/{id}/reports", GetReportsAsync).RequireAuthorization(Permissions.Read)
            .WithSummary("Test results of the run's buildspec report groups (JUnit XML): total, passed, failed, skipped, errored, duration per group.");
        group.MapPost("/{id}/cancel", CancelAsync).RequireAuthorization(Permissions.Operate).WithSummary("Cancel a run: its processes get TERM, a grace period, then KILL.");
        group.MapPost("/{id}/retry", RetryAsync).RequireAuthorization(Permissions.Operate)
            .WithSummary("A new run of a finished run's pipeline version with its variables; 409 while it is still running.");
        return group;
    }

    private static async Task<Created<RunResponse>> RetryAsync(string id, RunService runs, CancellationToken cancellationToken)
    {
        var run = await runs.RetryAsync(ParseId(id), cancellationToken);
        return TypedResults.Created($"/api/runs/{run.Id}", RunResponse.From(run));
    }

    private static async Task<Created<RunResponse>> TriggerAsync(TriggerRunBody body, RunService runs, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body.Pipeline))
        {
            throw new RequestInvalidException("pipeline", "pipeline is required.");
        }

        var run = await runs.TriggerAsync(
            new RunTrigger(body.Pipeline, body.IdempotencyKey, SourceVersion.Apply(body.Variables, body.SourceVersion), body.CorrelationId ?? Guid.NewGuid(), "http"),
            cancellationToken);
        return TypedResults.Created($"/api/runs/{run.Id}", RunResponse.From(run));
    }

    private static async Task<Ok<RunListResponse>> ListAsync(
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
            new RunListFilter(pipeline, ParseStatus(status), branch, createdAfter, createdBefore), pageSize, pageToken, cancellationToken);
        return TypedResults.Ok(new RunListResponse(page.Select(RunResponse.From).ToList(), next));
    }

    private static async Task<Ok<RunResponse>> GetAsync(string id, RunService runs, CancellationToken cancellationToken) =>
        TypedResults.Ok(RunResponse.From(await runs.GetAsync(ParseId(id), cancellationToken)));

    private static async Task<Ok<List<TestReportResponse>>> GetReportsAsync(string id, RunService runs, CancellationToken cancellationToken) =>
        TypedResults.Ok(TestReportResponse.From(await runs.GetAsync(ParseId(id), cancellationToken)).ToList());

    private static async Task<Ok<RunResponse>> CancelAsync(string id, RunService runs, CancellationToken cancellationToken) =>
        TypedResults.Ok(RunResponse.From(await runs.CancelAsync(ParseId(id), "cancelled over HTTP", cancellationToken)));

    internal static Core.Runs.RunStatus? ParseStatus(string? status) =>
        string.IsNullOrEmpty(status) ? null
        : Enum.TryParse<Core.Runs.RunStatus>(status, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed
        : throw new RequestInvalidException("status", $"Unknown status '{status}': use {string.Join(", ", Enum.GetNames<Core.Runs.RunStatus>())}.");

    internal static Guid ParseId(string id) =>
        Guid.TryParse(id, out var runId) ? runId : throw new NotFoundException("Run", id);
}
