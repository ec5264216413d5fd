using System.Globalization;
using BuildFarm.Cli.Output;
using BuildFarm.Protos.V1;

namespace BuildFarm.Cli.Commands;

/// <summary>`buildfarm token create|list|revoke`: API tokens, for admins.</summary>
public static class TokenCommands
{
    public static Task<int> CreateAsync(CliContext context, string name, string role, int expiresInDays, CancellationToken cancellationToken) =>
        Remote.CallAsync(context, async client =>
        {
            var created = await client.CreateTokenAsync(name, role, expiresInDays, cancellationToken);
            if (context.Json)
            {
                await Json.WriteAsync(context.Output, created);
                return 0;
            }

            // The token alone on stdout, so `T=$(buildfarm token create …)` works; the advice goes to stderr.
            await context.Output.WriteLineAsync(created.Secret);
            await context.Error.WriteLineAsync($"buildfarm: token {created.Token.Id} ({created.Token.Role}) created for '{created.Token.Name}'; it is shown only now.");
            return 0;
        });

    public static Task<int> ListAsync(CliContext context, CancellationToken cancellationToken) =>
        Remote.CallAsync(context, async client =>
        {
            var tokens = await client.ListTokensAsync(cancellationToken);
            if (context.Json)
            {
                var response = new ListTokensResponse();
                response.Tokens.AddRange(tokens);
                await Json.WriteAsync(context.Output, response);
                return 0;
            }

            var now = context.Time.GetUtcNow();
            await Table.WriteAsync(
                context.Output,
                ["ID", "NAME", "ROLE", "CREATED", "STATE"],
                tokens.Select(t => (IReadOnlyList<Cell>)[t.Id, t.Name, t.Role, RelativeTime.Format(t.CreatedAt.ToDateTimeOffset(), now), State(t, now)]).ToList());
            return 0;
        });

    public static Task<int> RevokeAsync(CliContext context, string id, CancellationToken cancellationToken) =>
        Remote.CallAsync(context, async client =>
        {
            var token = await client.RevokeTokenAsync(id, cancellationToken);
            if (context.Json)
            {
                await Json.WriteAsync(context.Output, token);
                return 0;
            }

            await context.Output.WriteLineAsync($"revoked {token.Id} ({token.Name})");
            return 0;
        });

    private static string State(ApiToken token, DateTimeOffset now) =>
        token.RevokedAt is not null ? "revoked " + RelativeTime.Format(token.RevokedAt.ToDateTimeOffset(), now)
        : token.ExpiresAt is { } expires && expires.ToDateTimeOffset() <= now ? "expired"
        : token.ExpiresAt is { } e ? "expires " + e.ToDateTimeOffset().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
        : "active";
}
