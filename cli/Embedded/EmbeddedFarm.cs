extern alias coordinator;
extern alias worker;

using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using coordinator::BuildFarm.Coordinator;
using worker::BuildFarm.Worker;

namespace BuildFarm.Cli.Embedded;

/// <summary>
/// The coordinator and a worker in one process, with the embedded adapters (SQLite, in-memory bus,
/// local files). Everything else is the distributed farm's code, including gRPC over loopback.
/// </summary>
public sealed class EmbeddedFarm : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EmbeddedFarm(WebApplication app, Uri grpcUrl, Uri httpUrl)
    {
        _app = app;
        GrpcUrl = grpcUrl;
        HttpUrl = httpUrl;
    }

    public Uri GrpcUrl { get; }
    public Uri HttpUrl { get; }

    public static async Task<EmbeddedFarm> StartAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataDirectory);
        var http = new Uri($"http://127.0.0.1:{FreePort()}");
        var grpc = new Uri($"http://127.0.0.1:{FreePort()}");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Coordinator:HttpUrl"] = http.ToString(),
            ["Coordinator:GrpcUrl"] = grpc.ToString(),
            ["Database:Provider"] = "Sqlite",
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(dataDirectory, "buildfarm.db")}",
            ["Messaging:Transport"] = "InMemory",
            ["Worker:Id"] = "embedded",
            ["Worker:CoordinatorUrl"] = grpc.ToString(),
            ["Worker:WorkRoot"] = Path.Combine(dataDirectory, "work"),
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft"] = "Warning",
            ["Logging:LogLevel:MassTransit"] = "Warning",
        });
        builder.Configuration.AddEnvironmentVariables("BUILDFARM_EMBEDDED_");
        // The coordinator registers the process's one bus, with the worker's consumers on it.
        builder.AddCoordinator(WorkerBus.AddWorkerConsumers);
        builder.AddWorker(withOwnBus: false);
        var app = builder.Build();
        app.MapCoordinator();
        await app.StartAsync(cancellationToken);
        return new EmbeddedFarm(app, grpc, http);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
