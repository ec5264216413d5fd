using BuildFarm.Coordinator.Api.Models;
using BuildFarm.Coordinator.Auth;
using BuildFarm.Coordinator.Deployments;
using BuildFarm.Coordinator.Errors;
using BuildFarm.Coordinator.Logs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BuildFarm.Coordinator.Api;

/// <summary>CodeDeploy's surface: applications, deployment groups, deployments (per instance, per event, with logs), agents.</summary>
public static class DeploymentsEndpoints
{
    private const int MaxLogBytes = 64 * 1024 * 1024;

    public static IEndpointRouteBuilder MapDeploymentsEndpoints(this IEndpointRouteBuilder routes)
    {
        var applications = routes.MapGroup("/api/applications").WithTags("Deployments");
        applications.MapPut("/{application}", PutApplicationAsync).RequireAuthorization(Permissions.Admin).WithSummary("Create an application (idempotent).");
        applications.MapPut("/{application}/groups/{group}", PutGroupAsync).RequireAuthorization(Permissions.Admin).WithSummary("Create or update a deployment group: tag filters and/or instance names, config, rollback.");
        applications.MapGet("/{application}/groups", ListGroupsAsync).RequireAuthorization(Permissions.Read);
        applications.MapGet("/{application}/groups/{group}", GetGroupAsync).RequireAuthorization(Permissions.Read);

        var deployments = routes.MapGroup("/api/deployments").WithTags("Deployments");
        deployments.MapPost("/", CreateAsync).RequireAuthorization(Permissions.Trigger).WithSummary("Deploy a revision (a zip with appspec.yml at its root) to a group.");
        deployments.MapGet("/", ListAsync).RequireAuthorization(Permissions.Read);
        deployments.MapGet("/{id}", GetAsync).RequireAuthorization(Permissions.Read).WithSummary("Status per instance and per lifecycle event, with timings.");
        deployments.MapPost("/{id}/stop", StopAsync).RequireAuthorization(Permissions.Operate).WithSummary("Stop a deployment; ?rollback=true redeploys the last good revision.");
        deployments.MapGet("/{id}/instances/{instanceId}/log", GetLogAsync).RequireAuthorization(Permissions.Read).WithSummary("One instance's hook output and agent lines, as text/plain.");

        routes.MapGet("/api/agents", ListAgentsAsync).RequireAuthorization(Permissions.Read).WithTags("Deployments").WithSummary("Registered deploy agents, their tags and last heartbeat.");
        return routes;
    }

    private static async Task<Ok<object>> PutApplicationAsync(string application, DeploymentCatalog catalog, CancellationToken cancellationToken)
    {
        var created = await catalog.PutApplicationAsync(application, cancellationToken);
        return TypedResults.Ok<object>(new { name = created.Name, createdAt = created.CreatedAt });
    }

    private static async Task<Ok<DeploymentGroupResponse>> PutGroupAsync(
        string application, string group, DeploymentGroupBody body, DeploymentCatalog catalog, CancellationToken cancellationToken) =>
        TypedResults.Ok(DeploymentGroupResponse.From(await catalog.PutGroupAsync(application, group,
            new DeploymentGroupSpec(body.TagFilters, body.InstanceNames, body.DeploymentConfig, body.AutoRollback, body.IgnoreApplicationStopFailures), cancellationToken)));

    private static async Task<Ok<List<DeploymentGroupResponse>>> ListGroupsAsync(string application, DeploymentCatalog catalog, CancellationToken cancellationToken) =>
        TypedResults.Ok((await catalog.ListGroupsAsync(application, cancellationToken)).Select(DeploymentGroupResponse.From).ToList());

    private static async Task<Ok<DeploymentGroupResponse>> GetGroupAsync(string application, string group, DeploymentCatalog catalog, CancellationToken cancellationToken) =>
        TypedResults.Ok(DeploymentGroupResponse.From(await catalog.GetGroupAsync(application, group, cancellationToken)));

    private static async Task<Created<DeploymentResponse>> CreateAsync(CreateDeploymentBody body, DeploymentService deployments, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body.Application) || string.IsNullOrWhiteSpace(body.Group))
        {
            throw new RequestInvalidException(string.IsNullOrWhiteSpace(body.Application) ? "application" : "group", "application and group are required.");
        }
        var deployment = await deployments.CreateAsync(body.Application, body.Group, body.Revision,
            new DeploymentRequestOptions(body.DeploymentConfig, body.IgnoreApplicationStopFailures, body.FileExistsBehavior, body.AutoRollback), cancellationToken);
        return TypedResults.Created($"/api/deployments/{deployment.Id}", DeploymentResponse.From(deployment));
    }

    private static async Task<Ok<List<DeploymentResponse>>> ListAsync(
        DeploymentService deployments, CancellationToken cancellationToken, string? application = null, string? group = null, int limit = 50) =>
        TypedResults.Ok((await deployments.ListAsync(application, group, limit, cancellationToken)).Select(DeploymentResponse.From).ToList());

    private static async Task<Ok<DeploymentResponse>> GetAsync(string id, DeploymentService deployments, CancellationToken cancellationToken) =>
        TypedResults.Ok(DeploymentResponse.From(await deployments.GetAsync(ParseId(id), cancellationToken)));

    private static async Task<Ok<DeploymentResponse>> StopAsync(string id, DeploymentService deployments, CancellationToken cancellationToken, bool rollback = false) =>
        TypedResults.Ok(DeploymentResponse.From(await deployments.StopAsync(ParseId(id), rollback, cancellationToken)));

    private static async Task<FileContentHttpResult> GetLogAsync(string id, string instanceId, DeploymentService deployments, LogStore logs, CancellationToken cancellationToken)
    {
        var deployment = await deployments.GetAsync(ParseId(id), cancellationToken);
        var instance = deployment.Instances.FirstOrDefault(i => i.Id.ToString() == instanceId)
            ?? throw new NotFoundException("Instance deployment", instanceId);
        using var buffer = new MemoryStream();
        long cursor = 0;
        while (buffer.Length < MaxLogBytes && await logs.ReadAsync(instance.Id, cursor, MaxLogBytes, cancellationToken) is { Count: > 0 } segments)
        {
            foreach (var segment in segments)
            {
                buffer.Write(segment.Data.Span);
                cursor = segment.End;
            }
        }
        return TypedResults.Bytes(buffer.ToArray(), "text/plain; charset=utf-8", enableRangeProcessing: true);
    }

    private static async Task<Ok<List<DeployAgentResponse>>> ListAgentsAsync(AgentRegistry registry, CancellationToken cancellationToken) =>
        TypedResults.Ok((await registry.ListAsync(cancellationToken)).Select(a => DeployAgentResponse.From(a, registry.IsSilent(a))).ToList());

    private static Guid ParseId(string id) =>
        Guid.TryParse(id, out var parsed) ? parsed : throw new NotFoundException("Deployment", id);
}
