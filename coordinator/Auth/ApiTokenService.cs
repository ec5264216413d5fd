using System.Collections.Concurrent;
using System.Security.Cryptography;
using BuildFarm.Coordinator.Errors;
using BuildFarm.Coordinator.Options;
using BuildFarm.Coordinator.Persistence;
using BuildFarm.Coordinator.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BuildFarm.Coordinator.Auth;

/// <summary>Creates, lists, revokes and checks API tokens.</summary>
public sealed class ApiTokenService(IServiceScopeFactory scopes, IOptions<AuthOptions> options, TimeProvider time)
{
    // A checked token is trusted this long before the database is asked again: revocation reaches every
    // coordinator within this time, while a worker's heartbeat and log stream do not each cost a query.
    private static readonly TimeSpan RecheckAfter = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<Guid, (ApiToken Token, DateTimeOffset CheckedAt)> _checked = new();

    public const int MaxNameLength = 200;

    /// <summary>The caller a presented token stands for, or the reason it is refused.</summary>
    public async Task<(Caller? Caller, string? Refusal)> AuthenticateAsync(string presented, CancellationToken cancellationToken)
    {
        var bootstrap = options.Value.BootstrapToken;
        if (!string.IsNullOrEmpty(bootstrap) && TokenFormat.Matches(presented, bootstrap))
        {
            return (new Caller("bootstrap", Roles.Admin), null);
        }

        if (!TokenFormat.TryParse(presented, out var id, out var secret))
        {
            return (null, "the bearer token is not a BuildFarm token (bf_…)");
        }

        var token = await FindAsync(id, cancellationToken);
        var now = time.GetUtcNow();
        if (token is null || !CryptographicOperations.FixedTimeEquals(token.SecretHash, TokenFormat.Hash(secret)))
        {
            return (null, "the token is unknown");
        }

        if (token.RevokedAt is not null)
        {
            return (null, $"the token '{token.Name}' was revoked at {token.RevokedAt:O}");
        }

        return token.ExpiresAt is { } expires && expires <= now
            ? (null, $"the token '{token.Name}' expired at {expires:O}")
            : (new Caller(token.Name, token.Role), null);
    }

    /// <summary>A new token; the plain text is returned here and never again.</summary>
    public async Task<(ApiToken Token, string Plain)> CreateAsync(string name, string role, int expiresInDays, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength)
        {
            throw new RequestInvalidException("name", $"name is required, at most {MaxNameLength} characters.");
        }

        if (!Roles.IsKnown(role))
        {
            throw new RequestInvalidException("role", $"role '{role}' is not one of {string.Join(", ", Roles.All)}.");
        }

        if (expiresInDays is < 0 or > 3650)
        {
            throw new RequestInvalidException("expiresInDays", "expiresInDays must be between 0 (never) and 3650.");
        }

        var id = Guid.CreateVersion7();
        var (plain, hash) = TokenFormat.Create(id);
        var now = time.GetUtcNow();
        var token = new ApiToken
        {
            Id = id,
            Name = name,
            Role = role,
            SecretHash = hash,
            CreatedAt = now,
            ExpiresAt = expiresInDays > 0 ? now.AddDays(expiresInDays) : null,
        };
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BuildFarmDbContext>();
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(cancellationToken);
        return (token, plain);
    }

    public async Task<IReadOnlyList<ApiToken>> ListAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BuildFarmDbContext>();
        var tokens = await db.ApiTokens.AsNoTracking().ToListAsync(cancellationToken);
        return [.. tokens.OrderBy(t => t.CreatedAt)];
    }

    /// <summary>Revokes a token. Revoking twice keeps the first time.</summary>
    public async Task<ApiToken> RevokeAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BuildFarmDbContext>();
        var token = await db.ApiTokens.SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (token is null)
        {
            throw new NotFoundException("Token", id.ToString());
        }

        token.RevokedAt ??= time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        _checked.TryRemove(id, out _);
        return token;
    }

    private async Task<ApiToken?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_checked.TryGetValue(id, out var cached) && now - cached.CheckedAt < RecheckAfter)
        {
            return cached.Token;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BuildFarmDbContext>();
        var token = await db.ApiTokens.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        // Only real tokens are remembered: caching misses would let anyone grow this map with made-up ids.
        if (token is not null)
        {
            _checked[id] = (token, now);
        }

        return token;
    }
}
