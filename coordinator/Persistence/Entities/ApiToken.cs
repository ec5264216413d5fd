namespace BuildFarm.Coordinator.Persistence.Entities;

/// <summary>
/// An API token: only the SHA-256 of its secret part is stored, so a database dump cannot be replayed.
/// The plain token is shown once, when it is created.
/// </summary>
public sealed class ApiToken
{
    public Guid Id { get; set; }
    public required string Name { get; set; }

    /// <summary>One of <see cref="Auth.Roles"/>.</summary>
    public required string Role { get; set; }

    public required byte[] SecretHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
