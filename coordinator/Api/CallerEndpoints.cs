using System.Security.Claims;
using BuildFarm.Coordinator.Api.Models;
using BuildFarm.Coordinator.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BuildFarm.Coordinator.Api;

/// <summary>
/// Read-only: who the presented token is. The dashboard asks once after sign-in, so a viewer never
/// sees a button its role cannot use; the endpoints themselves still decide every request.
/// </summary>
public static class CallerEndpoints
{
    public static RouteHandlerBuilder MapCallerEndpoints(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/me", Me)
            .WithTags("Tokens")
            .RequireAuthorization(Permissions.Read)
            .WithSummary("The calling token's name, role and permissions.");

    private static Ok<CallerResponse> Me(ClaimsPrincipal user) => TypedResults.Ok(new CallerResponse(
        user.FindFirstValue(ClaimTypes.Name) ?? "",
        user.FindFirstValue(ClaimTypes.Role) ?? "",
        user.FindAll(Permissions.ClaimType).Select(c => c.Value).ToList()));
}
