using System.IO.Compression;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Runtime.Versioning;
using System.Text.Json;
using BuildFarm.Cli.Embedded;
using BuildFarm.IntegrationTests.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace BuildFarm.IntegrationTests.Deployments;

/// <summary>
/// A coordinator on the real PostgreSQL and RabbitMQ, and three deploy agents (the worker host in the Agent role),
/// each with its own root prefix, so three "servers" share this machine. Each server is configured with its own
/// loopback port for the example service (etc/demo-app/port under its root). Every HTTP service the example's
/// deploy.sh starts is killed by the PID it recorded.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class DeployFarmFixture : IAsyncLifetime
{
    public static readonly string[] Instances = ["host1", "host2", "host3"];

    private readonly PostgresFixture _postgres = new();
    private readonly RabbitMqFixture _rabbit = new();
    private readonly List<IHost> _agents = [];
    private WebApplication? _coordinator;

    public string Root { get; } = Directory.CreateTempSubdirectory("bf-it-deploy-").FullName;
    public HttpClient Http { get; private set; } = null!;
    public Uri GrpcUrl { get; private set; } = null!;
    public string AdminToken { get; } = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    public Dictionary<string, int> Ports { get; } = [];

    public string RootOf(string instance) => Path.Combine(Root, instance);

    public IServiceProvider CoordinatorServices => _coordinator!.Services;

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        // Temp directories are 0700; the example's permissions hand files to 'nobody', who must reach them.
        File.SetUnixFileMode(Root, (UnixFileMode)Convert.ToInt32("755", 8));
        await _postgres.InitializeAsync();
        await _rabbit.InitializeAsync();
        var database = await _postgres.CreateDatabaseAsync("deploy", timeout.Token);
        var vhost = await _rabbit.CreateVirtualHostAsync("deploy", timeout.Token);
        GrpcUrl = new Uri($"http://127.0.0.1:{FarmHosts.FreePort()}");
        var httpUrl = new Uri($"http://127.0.0.1:{FarmHosts.FreePort()}");
        var shared = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["Database:ConnectionString"] = database,
            ["Messaging:Transport"] = "RabbitMq",
            ["Messaging:RabbitMqUri"] = vhost.ToString(),
            ["Coordinator:HttpUrl"] = httpUrl.ToString(),
            ["Coordinator:GrpcUrl"] = GrpcUrl.ToString(),
            ["Worker:CoordinatorUrl"] = GrpcUrl.ToString(),
            ["Worker:HeartbeatSeconds"] = "1",
            ["Worker:Token"] = AdminToken,
            ["Auth:BootstrapToken"] = AdminToken,
            ["Deployments:AgentHeartbeatSeconds"] = "1",
            ["Deployments:AgentSilenceSeconds"] = "10",
            ["Deployments:SweepSeconds"] = "1",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "None",
        };
        _coordinator = FarmHosts.BuildCoordinator(shared);
        await _coordinator.StartAsync(timeout.Token);
        Http = new HttpClient { BaseAddress = httpUrl, Timeout = TimeSpan.FromSeconds(60) };
        Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminToken);

        foreach (var instance in Instances)
        {
            var root = RootOf(instance);
            Ports[instance] = FarmHosts.FreePort();
            Directory.CreateDirectory(Path.Combine(root, "etc/demo-app"));
            await File.WriteAllTextAsync(Path.Combine(root, "etc/demo-app/port"), Ports[instance].ToString(System.Globalization.CultureInfo.InvariantCulture), timeout.Token);
            var agent = FarmHosts.BuildWorker(new Dictionary<string, string?>(shared)
            {
                ["Worker:Role"] = "Agent",
                ["Agent:InstanceName"] = instance,
                ["Agent:Group"] = "web",
                ["Agent:Root"] = root,
                ["Agent:HookKillGraceSeconds"] = "1",
            });
            await agent.StartAsync(timeout.Token);
            _agents.Add(agent);
        }

        await PutAsync("/api/applications/demo", new { }, timeout.Token);
        await WaitForAgentsAsync(timeout.Token);
    }

    /// <summary>A revision zip made from examples/deploy with this version in build/libs/version.txt (and another appspec or extra files, if given).</summary>
    public string Revision(string version, string? appspec = null, params (string Path, string Content)[] extra)
    {
        var source = Path.Combine(Root, "revisions", version);
        CopyDirectory(ExampleDirectory(), source);
        File.WriteAllText(Path.Combine(source, "build/libs/version.txt"), version + "\n");
        if (appspec is not null)
        {
            File.WriteAllText(Path.Combine(source, "appspec.yml"), appspec);
        }
        foreach (var (path, content) in extra)
        {
            File.WriteAllText(Path.Combine(source, path), content);
            File.SetUnixFileMode(Path.Combine(source, path), (UnixFileMode)Convert.ToInt32("755", 8));
        }
        var zip = Path.Combine(Root, "revisions", version + ".zip");
        File.Delete(zip);
        ZipFile.CreateFromDirectory(source, zip);
        return zip;
    }

    public async Task<JsonElement> PutAsync(string path, object body, CancellationToken cancellationToken)
    {
        using var response = await Http.PutAsJsonAsync(path, body, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"PUT {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<JsonElement> DeployAsync(string group, string revision, object? extra, CancellationToken cancellationToken)
    {
        var body = new Dictionary<string, object?> { ["application"] = "demo", ["group"] = group, ["revision"] = revision };
        if (extra is not null)
        {
            foreach (var property in JsonSerializer.SerializeToElement(extra).EnumerateObject())
            {
                body[property.Name] = property.Value;
            }
        }
        using var response = await Http.PostAsJsonAsync("/api/deployments", body, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"POST /api/deployments: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken) =>
        JsonDocument.Parse(await Http.GetStringAsync(path, cancellationToken)).RootElement.Clone();

    /// <summary>Polls the deployment until it is no longer InProgress (bounded by the caller's token).</summary>
    public async Task<JsonElement> FinishedAsync(string id, CancellationToken cancellationToken)
    {
        while (true)
        {
            var deployment = await GetAsync($"/api/deployments/{id}", cancellationToken);
            if (deployment.GetProperty("status").GetString() != "InProgress")
            {
                return deployment;
            }
            await Task.Delay(100, cancellationToken);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            await agent.StopAsync(CancellationToken.None);
            agent.Dispose();
        }
        KillServices();
        Http?.Dispose();
        if (_coordinator is not null)
        {
            await _coordinator.StopAsync(CancellationToken.None);
            await _coordinator.DisposeAsync();
        }
        await _rabbit.DisposeAsync();
        await _postgres.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }

    /// <summary>Kills the example services deploy.sh started, by the PIDs it recorded under each server's root.</summary>
    public void KillServices()
    {
        foreach (var instance in Instances)
        {
            var pidFile = Path.Combine(RootOf(instance), "var/run/demo-app.pid");
            if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid))
            {
                try
                {
                    System.Diagnostics.Process.GetProcessById(pid).Kill();
                }
                catch (ArgumentException)
                {
                    // Already gone (ApplicationStop of a later deployment stopped it).
                }
            }
        }
    }

    private async Task WaitForAgentsAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var agents = await GetAsync("/api/agents", cancellationToken);
            if (agents.EnumerateArray().Count(a => !a.GetProperty("silent").GetBoolean()) == Instances.Length)
            {
                return;
            }
            await Task.Delay(100, cancellationToken);
        }
    }

    private static string ExampleDirectory([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "../../../examples/deploy"));

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}
