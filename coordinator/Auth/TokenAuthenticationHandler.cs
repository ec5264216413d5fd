using System.Security.Claims;
using System.Text.Encodings.Web;
using BuildFarm.Coordinator.Options;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace BuildFarm.Coordinator.Auth;

/// <summary>
/// Reads <c>Authorization: Bearer …</c> (HTTP header or gRPC metadata: the same thing on the wire) and
/// turns a valid token into a principal carrying its role's permissions. With Auth:Mode=None every
/// caller is an admin.
/// </summary>
public sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<AuthOptions> auth,
    ApiTokenService tokens) : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
{
    public const string SchemeName = "BuildFarmToken";

    /// <summary>Where the refusal reason waits for <see cref="AuthorizationResultWriter"/>.</summary>
    internal const string RefusalItem = "buildfarm.auth.refusal";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!auth.Value.Enabled)
        {
            return Success(new Caller("embedded", Roles.Admin));
        }

        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return Refuse("no API token: send `Authorization: Bearer <token>`");
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Refuse("the Authorization header must use the Bearer scheme");
        }

        var (caller, refusal) = await tokens.AuthenticateAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        return caller is null ? Refuse(refusal!) : Success(caller);
    }

    private AuthenticateResult Refuse(string reason)
    {
        Context.Items[RefusalItem] = reason;
        return AuthenticateResult.Fail(reason);
    }

    private static AuthenticateResult Success(Caller caller)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, caller.Name), new(ClaimTypes.Role, caller.Role) };
        claims.AddRange(Roles.PermissionsOf(caller.Role).Select(p => new Claim(Permissions.ClaimType, p)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }
}
