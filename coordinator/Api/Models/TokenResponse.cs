namespace BuildFarm.Coordinator.Api.Models;

/// <summary>A token as listed: never its secret.</summary>
public sealed record TokenResponse(Guid Id, string Name, string Role, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt)
{
    public static TokenResponse From(Persistence.Entities.ApiToken token) =>
        new(token.Id, token.Name, token.Role, token.CreatedAt, token.ExpiresAt, token.RevokedAt);
}
