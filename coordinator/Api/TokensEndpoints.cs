using BuildFarm.Coordinator.Api.Models;
using BuildFarm.Coordinator.Auth;
using BuildFarm.Coordinator.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BuildFarm.Coordinator.Api;

/// <summary>API tokens, for admins: a token's secret is in the create response and nowhere else.</summary>
public static class TokensEndpoints
{
    public static RouteGroupBuilder MapTokensEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/tokens").WithTags("Tokens").RequireAuthorization(Permissions.Admin);
        group.MapPost("/", CreateAsync).WithSummary("Create a token; the response is the only place its secret appears.");
        group.MapGet("/", ListAsync).WithSummary("Every token with its role and state; never secrets.");
        group.MapDelete("/{id}", RevokeAsync).WithSummary("Revoke a token: refused everywhere within a second.");
        return group;
    }

    private static async Task<Created<CreatedTokenResponse>> CreateAsync(CreateTokenBody body, ApiTokenService tokens, CancellationToken cancellationToken)
    {
        var (token, plain) = await tokens.CreateAsync(body.Name ?? "", body.Role ?? "", body.ExpiresInDays ?? 0, cancellationToken);
        return TypedResults.Created($"/api/tokens/{token.Id}", new CreatedTokenResponse(TokenResponse.From(token), plain));
    }

    private static async Task<Ok<List<TokenResponse>>> ListAsync(ApiTokenService tokens, CancellationToken cancellationToken) =>
        TypedResults.Ok((await tokens.ListAsync(cancellationToken)).Select(TokenResponse.From).ToList());

    private static async Task<Ok<TokenResponse>> RevokeAsync(string id, ApiTokenService tokens, CancellationToken cancellationToken) =>
        TypedResults.Ok(TokenResponse.From(await tokens.RevokeAsync(Guid.TryParse(id, out var tokenId) ? tokenId : throw new NotFoundException("Token", id), cancellationToken)));
}
