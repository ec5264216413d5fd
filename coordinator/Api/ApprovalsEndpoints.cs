using System.Security.Claims;
using BuildFarm.Coordinator.Api.Models;
using BuildFarm.Coordinator.Auth;
using BuildFarm.Coordinator.Errors;
using BuildFarm.Coordinator.Runs;
using BuildFarm.Coordinator.Runs.Pipelines;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BuildFarm.Coordinator.Api;

/// <summary>Approve or reject a pipeline run's waiting manual approval action.</summary>
public static class ApprovalsEndpoints
{
    public static RouteGroupBuilder MapApprovalsEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/runs").WithTags("Runs");
        group.MapPost("/{id}/approvals/{stage}/{action}", DecideAsync).RequireAuthorization(Permissions.Operate)
            .WithSummary("Approve or reject a waiting approval action: {decision: approve|reject, comment}; who and the comment are recorded.");
        return group;
    }

    private static async Task<Ok<RunResponse>> DecideAsync(
        string id, string stage, string action, ApprovalDecisionBody body, ClaimsPrincipal user, ApprovalService approvals, RunService runs, CancellationToken cancellationToken)
    {
        var approve = body.Decision?.ToLowerInvariant() switch
        {
            "approve" => true,
            "reject" => false,
            _ => throw new RequestInvalidException("decision", "decision must be 'approve' or 'reject'."),
        };
        var runId = RunsEndpoints.ParseId(id);
        await approvals.DecideAsync(runId, stage, action, approve, body.Comment, user.FindFirstValue(ClaimTypes.Name) ?? "anonymous", cancellationToken);
        return TypedResults.Ok(RunResponse.From(await runs.GetAsync(runId, cancellationToken)));
    }
}
