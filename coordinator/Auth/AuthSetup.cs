using BuildFarm.Coordinator.Options;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace BuildFarm.Coordinator.Auth;

internal static class AuthSetup
{
    /// <summary>Token authentication, one policy per permission, and authentication required wherever no policy says otherwise.</summary>
    public static IServiceCollection AddTokenAuth(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddSingleton<ApiTokenService>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AuthorizationResultWriter>();
        services.AddAuthentication(TokenAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPermissionPolicies();
        return services;
    }

    private static AuthorizationBuilder AddPermissionPolicies(this AuthorizationBuilder builder)
    {
        foreach (var permission in Permissions.All)
        {
            builder.AddPolicy(permission, p => p.RequireAuthenticatedUser().RequireClaim(Permissions.ClaimType, permission));
        }

        return builder;
    }
}
