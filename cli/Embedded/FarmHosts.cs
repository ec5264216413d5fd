extern alias coordinator;
extern alias worker;

using System.Net;
using System.Net.Sockets;
using coordinator::BuildFarm.Coordinator;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using worker::BuildFarm.Worker;

namespace BuildFarm.Cli.Embedded;

/// <summary>
/// Builds coordinator and worker hosts inside this process from a configuration dictionary: the
/// embedded farm (both in one host), and tests and benchmarks (separate hosts on real services).
/// </summary>
public static class FarmHosts
{
    /// <summary>A coordinator host; <paramref name="withWorker"/> adds the worker to the same host and bus.</summary>
    public static WebApplication BuildCoordinator(IDictionary<string, string?> configuration, bool withWorker = false)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.AddCoordinator(withWorker ? WorkerBus.AddWorkerConsumers : null);
        if (withWorker)
        {
            builder.AddWorker(withOwnBus: false);
        }

        var app = builder.Build();
        app.MapCoordinator();
        return app;
    }

    /// <summary>A worker host with its own bus.</summary>
    public static IHost BuildWorker(IDictionary<string, string?> configuration)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.AddWorker();
        return builder.Build();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
