extern alias coordinator;

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using BuildFarm.IntegrationTests.Fixtures;
using BuildFarm.IntegrationTests.Runs;
using coordinator::BuildFarm.Coordinator.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BuildFarm.IntegrationTests.Auth;

/// <summary>
/// The auth matrix of every endpoint the coordinator maps, HTTP and gRPC, generated from its own endpoint
/// list: a new endpoint is checked the day it is added, and one without a declared permission fails here.
/// For each: no token → 401 / UNAUTHENTICATED, a role without the permission → 403 / PERMISSION_DENIED,
/// a role with it → neither (the request may still be refused for what it asks, e.g. 404 or 400).
/// </summary>
public sealed class EndpointAuthMatrixTests(FarmFixture farm) : IClassFixture<FarmFixture>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Fact]
    public void Every_endpoint_declares_a_permission_or_is_deliberately_open()
    {
        var undeclared = Endpoints()
            .Where(e => e.Permission is null && !e.Anonymous)
            .Select(e => e.Describe())
            .ToList();

        Assert.Empty(undeclared);
        Assert.Contains(Endpoints(), e => e.Grpc && e.Permission == Permissions.Work);
        Assert.Contains(Endpoints(), e => !e.Grpc && e.Permission == Permissions.Admin);
    }

    [Fact]
    public async Task Every_endpoint_refuses_no_token_and_a_weak_role_and_admits_a_strong_one()
    {
        var tokens = new Dictionary<string, string>();
        foreach (var role in Roles.All)
        {
            tokens[role] = (await farm.Client.CreateTokenAsync($"matrix-{role}", role, cancellationToken: Wait.Up(Limit))).Secret;
        }

        using var http = new HttpClient(new SocketsHttpHandler()) { Timeout = TimeSpan.FromSeconds(30) };
        var failures = new List<string>();
        var checkedCount = 0;
        foreach (var endpoint in Endpoints().Where(e => e.Permission is not null))
        {
            checkedCount++;
            var without = await CallAsync(http, endpoint, token: null);
            if (without != Outcome.Unauthenticated)
            {
                failures.Add($"{endpoint.Describe()} without a token: {without}");
            }

            var wrong = await CallAsync(http, endpoint, "bf_00000000000000000000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
            if (wrong != Outcome.Unauthenticated)
            {
                failures.Add($"{endpoint.Describe()} with an unknown token: {wrong}");
            }

            foreach (var role in Roles.All)
            {
                var allowed = Roles.PermissionsOf(role).Contains(endpoint.Permission!);
                var outcome = await CallAsync(http, endpoint, tokens[role]);
                var expected = allowed ? outcome is Outcome.Admitted : outcome is Outcome.Forbidden;
                if (!expected)
                {
                    failures.Add($"{endpoint.Describe()} as {role}: {outcome} (permission {endpoint.Permission} {(allowed ? "granted" : "not granted")})");
                }
            }
        }

        Assert.True(checkedCount >= 20, $"only {checkedCount} endpoints were found");
        Assert.Empty(failures);
    }

    private async Task<Outcome> CallAsync(HttpClient http, Endpoint endpoint, string? token)
    {
        using var request = endpoint.Grpc ? GrpcRequest(endpoint) : HttpRequest(endpoint);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Wait.Up(Limit));
        if (!endpoint.Grpc)
        {
            return response.StatusCode switch
            {
                HttpStatusCode.Unauthorized => Outcome.Unauthenticated,
                HttpStatusCode.Forbidden => Outcome.Forbidden,
                _ => Outcome.Admitted,
            };
        }

        // Trailers-only when refused before the method runs; otherwise the status comes after the body.
        var status = response.Headers.TryGetValues("grpc-status", out var values) ? values.First() : null;
        if (status is null)
        {
            // A streaming method that was admitted may keep the call open: the headers already say it was.
            return Outcome.Admitted;
        }

        return status switch
        {
            "16" => Outcome.Unauthenticated,
            "7" => Outcome.Forbidden,
            _ => Outcome.Admitted,
        };
    }

    private HttpRequestMessage HttpRequest(Endpoint endpoint)
    {
        var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), new Uri(farm.HttpUrl, endpoint.Path));
        if (endpoint.Method is "POST" or "PUT")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        return request;
    }

    private HttpRequestMessage GrpcRequest(Endpoint endpoint) => new(HttpMethod.Post, new Uri(farm.GrpcUrl, endpoint.Path))
    {
        Version = HttpVersion.Version20,
        VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        // One empty message: compressed flag 0, length 0.
        Content = new ByteArrayContent(new byte[5]) { Headers = { ContentType = new MediaTypeHeaderValue("application/grpc") } },
    };

    private List<Endpoint> Endpoints()
    {
        var source = farm.CoordinatorServices.GetRequiredService<EndpointDataSource>();
        var endpoints = new List<Endpoint>();
        foreach (var endpoint in source.Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern.RawText ?? "";
            if (pattern.Contains("{unimplemented", StringComparison.Ordinal))
            {
                continue; // gRPC's catch-alls for unknown methods answer UNIMPLEMENTED; they run nothing.
            }

            var grpc = endpoint.Metadata.GetMetadata<Grpc.AspNetCore.Server.GrpcMethodMetadata>() is not null;
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            var permission = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).LastOrDefault(p => p is not null);
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            foreach (var method in methods)
            {
                endpoints.Add(new Endpoint(method, Fill(pattern), pattern, grpc, permission, anonymous));
            }
        }

        return endpoints;
    }

    /// <summary>Route values that match the route's constraints and name nothing that exists.</summary>
    private static string Fill(string pattern)
    {
        var path = System.Text.RegularExpressions.Regex.Replace(pattern, @"\{\*?(\w+)(:[^}]*)?\}", m =>
            m.Groups[2].Value.StartsWith(":int", StringComparison.Ordinal) ? "1" : m.Groups[1].Value is "id" ? Guid.NewGuid().ToString() : "auth-matrix");
        return path.TrimStart('/');
    }

    private enum Outcome
    {
        Unauthenticated,
        Forbidden,
        Admitted,
    }

    private sealed record Endpoint(string Method, string Path, string Pattern, bool Grpc, string? Permission, bool Anonymous)
    {
        public string Describe() => $"{(Grpc ? "gRPC" : Method)} {Pattern}";
    }
}
