using BuildFarm.Coordinator.Auth;
using BuildFarm.Coordinator.Api.Models;
using BuildFarm.Coordinator.Errors;
using BuildFarm.Coordinator.Secrets;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BuildFarm.Coordinator.Api;

/// <summary>Secrets are written and listed by name; no endpoint ever returns a value.</summary>
public static class SecretsEndpoints
{
    public static RouteGroupBuilder MapSecretsEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/secrets").WithTags("Secrets").RequireAuthorization(Permissions.Admin);
        group.MapPut("/{*name}", PutAsync).WithSummary("Store or replace a secret (encrypted at rest).");
        group.MapGet("/", ListAsync).WithSummary("Secret names and when they changed; never values.");
        group.MapDelete("/{*name}", DeleteAsync);
        return group;
    }

    private static async Task<NoContent> PutAsync(string name, SecretBody body, SecretStore secrets, CancellationToken cancellationToken)
    {
        await secrets.PutAsync(name, body.Value ?? throw new RequestInvalidException("value", "value is required."), cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<List<SecretResponse>>> ListAsync(SecretStore secrets, CancellationToken cancellationToken) =>
        TypedResults.Ok((await secrets.ListAsync(cancellationToken)).Select(s => new SecretResponse(s.Name, s.UpdatedAt)).ToList());

    private static async Task<NoContent> DeleteAsync(string name, SecretStore secrets, CancellationToken cancellationToken)
    {
        await secrets.DeleteAsync(name, cancellationToken);
        return TypedResults.NoContent();
    }
}
