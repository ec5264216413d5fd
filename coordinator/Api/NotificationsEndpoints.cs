using BuildFarm.Coordinator.Api.Models;
using BuildFarm.Coordinator.Auth;
using BuildFarm.Coordinator.Errors;
using BuildFarm.Coordinator.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace BuildFarm.Coordinator.Api;

/// <summary><c>GET /api/pipelines/{name}/notifications/deliveries</c>: the notification and commit-status delivery log.</summary>
public static class NotificationsEndpoints
{
    private const int DefaultLimit = 100;
    private const int MaxLimit = 500;

    public static RouteGroupBuilder MapNotificationsEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/pipelines").WithTags("Notifications");
        group.MapGet("/{name}/notifications/deliveries", ListAsync).RequireAuthorization(Permissions.Read)
            .WithSummary("The pipeline's notification and commit-status deliveries, newest first (?runId=&limit=).");
        return group;
    }

    private static async Task<Ok<List<NotificationDeliveryResponse>>> ListAsync(
        string name, BuildFarmDbContext db, Guid? runId, int? limit, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxLimit)
        {
            throw new RequestInvalidException("limit", $"limit must be between 1 and {MaxLimit}.");
        }
        if (!await db.Pipelines.AsNoTracking().AnyAsync(p => p.Name == name, cancellationToken))
        {
            throw new NotFoundException("Pipeline", name);
        }
        var query = db.NotificationDeliveries.AsNoTracking().Where(d => d.PipelineName == name);
        if (runId is { } run)
        {
            query = query.Where(d => d.RunId == run);
        }
        var rows = await query.OrderByDescending(d => d.CreatedAt).Take(limit ?? DefaultLimit).ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(NotificationDeliveryResponse.From).ToList());
    }
}
