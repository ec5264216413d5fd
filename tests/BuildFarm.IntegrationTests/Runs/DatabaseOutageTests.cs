using System.Net;
using System.Net.Http.Json;
using BuildFarm.Cli.Embedded;
using BuildFarm.Client;
using Microsoft.AspNetCore.Builder;

namespace BuildFarm.IntegrationTests.Runs;

/// <summary>With its database away, the coordinator stays up and answers 503 / UNAVAILABLE, which clients retry.</summary>
public sealed class DatabaseOutageTests : IAsyncLifetime
{
    private readonly Uri _http = new($"http://127.0.0.1:{FarmHosts.FreePort()}");
    private readonly Uri _grpc = new($"http://127.0.0.1:{FarmHosts.FreePort()}");
    private static readonly string Token = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    private WebApplication? _coordinator;

    public async Task InitializeAsync()
    {
        // A PostgreSQL address where nothing listens: what the coordinator sees while the server is down.
        _coordinator = FarmHosts.BuildCoordinator(new Dictionary<string, string?>
        {
            ["Coordinator:HttpUrl"] = _http.ToString(),
            ["Coordinator:GrpcUrl"] = _grpc.ToString(),
            ["Database:Provider"] = "Postgres",
            ["Database:ConnectionString"] = $"Host=127.0.0.1;Port={FarmHosts.FreePort()};Username=postgres;Database=gone;Timeout=2",
            ["Database:MigrateOnStart"] = "false",
            ["Messaging:Transport"] = "InMemory",
            ["Auth:BootstrapToken"] = Token,
            ["Logging:LogLevel:Default"] = "None",
        });
        await _coordinator.StartAsync();
    }

    [Fact]
    public async Task Http_requests_get_503_problem_details_and_readyz_says_not_ready()
    {
        using var http = new HttpClient { BaseAddress = _http };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);

        var get = await http.GetAsync($"/api/runs/{Guid.NewGuid()}");
        var trigger = await http.PostAsJsonAsync("/api/runs", new { pipeline = "any" });
        var ready = await http.GetAsync("/readyz");
        var healthy = await http.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, get.StatusCode);
        Assert.Equal("application/problem+json", get.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(get.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, trigger.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
    }

    [Fact]
    public async Task Grpc_calls_get_unavailable()
    {
        using var client = new BuildFarmClient(_grpc, Token);

        var error = await Assert.ThrowsAsync<BuildFarmException>(() => client.GetRunAsync(Guid.NewGuid().ToString()));

        Assert.Equal(Grpc.Core.StatusCode.Unavailable, error.Status);
        Assert.Contains("database", error.Message, StringComparison.Ordinal);
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(_grpc);
        var health = await new Grpc.Health.V1.Health.HealthClient(channel).CheckAsync(new Grpc.Health.V1.HealthCheckRequest());
        Assert.Equal(Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.NotServing, health.Status);
    }

    public async Task DisposeAsync()
    {
        if (_coordinator is not null)
        {
            await _coordinator.StopAsync();
            await _coordinator.DisposeAsync();
        }
    }
}
