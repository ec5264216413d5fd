extern alias coordinator;

using BuildFarm.Cli.Embedded;
using BuildFarm.Client;
using coordinator::BuildFarm.Coordinator.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BuildFarm.IntegrationTests.Fixtures;

/// <summary>
/// A distributed farm for one test class: a coordinator host and a worker host, separate (each with
/// its own bus connection), on the real PostgreSQL (a fresh database) and RabbitMQ (a fresh vhost)
/// that scripts/test.sh started. Talk to it over HTTP, gRPC (SDK) and the bus, like its users do.
/// </summary>
public class FarmFixture : IAsyncLifetime
{
    private readonly PostgresFixture _postgres = new();
    private readonly RabbitMqFixture _rabbit = new();
    private readonly List<IHost> _workers = [];
    private WebApplication? _coordinator;
    private Dictionary<string, string?> _shared = [];

    public Uri GrpcUrl { get; private set; } = null!;
    public Uri HttpUrl { get; private set; } = null!;
    public Uri VirtualHost { get; private set; } = null!;
    public Uri ManagementUri => _rabbit.ManagementUri;
    public string DatabaseConnectionString { get; private set; } = "";
    public string WorkRoot { get; } = Directory.CreateTempSubdirectory("bf-it-work-").FullName;
    public BuildFarmClient Client { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    /// <summary>The bootstrap admin token the coordinator starts with; <see cref="Client"/> and <see cref="Http"/> send it.</summary>
    public string AdminToken { get; } = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public string VirtualHostName => VirtualHost.AbsolutePath.Trim('/');

    public virtual async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await _postgres.InitializeAsync();
        await _rabbit.InitializeAsync();
        DatabaseConnectionString = await _postgres.CreateDatabaseAsync("farm", timeout.Token);
        VirtualHost = await _rabbit.CreateVirtualHostAsync("farm", timeout.Token);
        GrpcUrl = new Uri($"http://127.0.0.1:{FarmHosts.FreePort()}");
        HttpUrl = new Uri($"http://127.0.0.1:{FarmHosts.FreePort()}");
        _shared = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["Database:ConnectionString"] = DatabaseConnectionString,
            ["Messaging:Transport"] = "RabbitMq",
            ["Messaging:RabbitMqUri"] = VirtualHost.ToString(),
            ["Coordinator:HttpUrl"] = HttpUrl.ToString(),
            ["Coordinator:GrpcUrl"] = GrpcUrl.ToString(),
            ["Worker:CoordinatorUrl"] = GrpcUrl.ToString(),
            ["Worker:HeartbeatSeconds"] = "1",
            ["Auth:BootstrapToken"] = AdminToken,
            ["Worker:Token"] = AdminToken,
            ["Worker:CancelGraceSeconds"] = "2",
            ["Scheduling:LeaseSeconds"] = "10",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "None",
            ["Secrets:Key"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            // Coordinator and workers share the store, as in production; per farm, so test runs never meet.
            ["Artifacts:FileSystemRoot"] = Path.Combine(WorkRoot, "artifacts"),
            // The dependency cache's store likewise: workers save and restore there, the coordinator lists and purges it.
            ["Cache:FileSystemRoot"] = Path.Combine(WorkRoot, "cache"),
            ["Cache:LocalRoot"] = Path.Combine(WorkRoot, "cache-local"),
        };
        Configure(_shared);
        _coordinator = FarmHosts.BuildCoordinator(_shared);
        await _coordinator.StartAsync(timeout.Token);
        await StartWorkerAsync("worker-a", timeout.Token);
        Client = new BuildFarmClient(GrpcUrl, AdminToken);
        Http = new HttpClient { BaseAddress = HttpUrl, Timeout = TimeSpan.FromSeconds(60) };
        Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminToken);
    }

    public async Task<IHost> StartWorkerAsync(string id, CancellationToken cancellationToken, IReadOnlyList<string>? labels = null)
    {
        var configuration = new Dictionary<string, string?>(_shared)
        {
            ["Worker:Id"] = id,
            ["Worker:WorkRoot"] = Path.Combine(WorkRoot, id),
        };
        for (var i = 0; i < (labels?.Count ?? 0); i++)
        {
            configuration[$"Worker:Labels:{i}"] = labels![i];
        }

        var worker = FarmHosts.BuildWorker(configuration);
        await worker.StartAsync(cancellationToken);
        _workers.Add(worker);
        return worker;
    }

    /// <summary>A deploy agent (the worker host in the Agent role) for <paramref name="group"/>, mapping absolute paths under <paramref name="root"/>.</summary>
    public async Task<IHost> StartAgentAsync(string instance, string group, string root, CancellationToken cancellationToken)
    {
        var agent = FarmHosts.BuildWorker(new Dictionary<string, string?>(_shared)
        {
            ["Worker:Role"] = "Agent",
            ["Agent:InstanceName"] = instance,
            ["Agent:Group"] = group,
            ["Agent:Root"] = root,
            ["Agent:HookKillGraceSeconds"] = "1",
        });
        await agent.StartAsync(cancellationToken);
        _workers.Add(agent);
        return agent;
    }

    /// <summary>The coordinator's services, e.g. its endpoint list.</summary>
    public IServiceProvider CoordinatorServices => _coordinator!.Services;

    /// <summary>A DbContext on the farm's database, to check the run history the coordinator wrote.</summary>
    public AsyncServiceScope OpenDatabase(out BuildFarmDbContext db)
    {
        var scope = _coordinator!.Services.CreateAsyncScope();
        db = scope.ServiceProvider.GetRequiredService<BuildFarmDbContext>();
        return scope;
    }

    /// <summary>A derived fixture's extra settings for every host (e.g. a loopback receiver's URL).</summary>
    protected virtual void Configure(Dictionary<string, string?> settings)
    {
    }

    public virtual async Task DisposeAsync()
    {
        Client?.Dispose();
        Http?.Dispose();
        foreach (var worker in _workers)
        {
            await worker.StopAsync(CancellationToken.None);
            worker.Dispose();
        }

        if (_coordinator is not null)
        {
            await _coordinator.StopAsync(CancellationToken.None);
            await _coordinator.DisposeAsync();
        }

        await _rabbit.DisposeAsync();
        await _postgres.DisposeAsync();
        Directory.Delete(WorkRoot, recursive: true);
    }
}
