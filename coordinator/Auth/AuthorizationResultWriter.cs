using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace BuildFarm.Coordinator.Auth;

/// <summary>
/// Writes refusals the way each kind of client reads them: ProblemDetails (401 / 403) over HTTP, and a
/// trailers-only gRPC response (UNAUTHENTICATED / PERMISSION_DENIED with the reason) over gRPC, instead of
/// a bare HTTP status that a gRPC client can only report as "bad response".
/// </summary>
public sealed class AuthorizationResultWriter(IProblemDetailsService problems) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!authorizeResult.Challenged && !authorizeResult.Forbidden)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        var unauthenticated = authorizeResult.Challenged;
        var detail = unauthenticated
            ? context.Items[TokenAuthenticationHandler.RefusalItem] as string ?? "no API token: send `Authorization: Bearer <token>`"
            : $"the token '{context.User.Identity?.Name}' has role '{context.User.FindFirstValue(ClaimTypes.Role)}', which may not do this; it needs {Needed(policy)}";

        if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true)
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/grpc";
            context.Response.Headers["grpc-status"] = unauthenticated ? "16" : "7";
            context.Response.Headers["grpc-message"] = Uri.EscapeDataString(detail);
            return;
        }

        context.Response.StatusCode = unauthenticated ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden;
        if (unauthenticated)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }

        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = context.Response.StatusCode,
                Title = unauthenticated ? "Authentication required" : "Forbidden",
                Detail = detail,
            },
        });
    }

    private static string Needed(AuthorizationPolicy policy)
    {
        var permissions = policy.Requirements.OfType<Microsoft.AspNetCore.Authorization.Infrastructure.ClaimsAuthorizationRequirement>()
            .SelectMany(r => r.AllowedValues ?? []).ToList();
        var roles = Roles.All.Where(r => permissions.Count > 0 && permissions.All(p => Roles.PermissionsOf(r).Contains(p)));
        return permissions.Count == 0 ? "another role" : $"the '{string.Join("', '", permissions)}' permission (roles: {string.Join(", ", roles)})";
    }
}
