using Microsoft.AspNetCore.Builder;

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

    public static async Task<EmbeddedFarm> StartAsync(string dataDirectory, CancellationToken cancellationToken, IDictionary<string, string?>? overrides = null)
    {
        Directory.CreateDirectory(dataDirectory);
        var http = new Uri($"http://127.0.0.1:{FarmHosts.FreePort()}");
        var grpc = new Uri($"http://127.0.0.1:{FarmHosts.FreePort()}");
        var configuration = new Dictionary<string, string?>
        {
            ["Coordinator:HttpUrl"] = http.ToString(),
            ["Coordinator:GrpcUrl"] = grpc.ToString(),
            ["Database:Provider"] = "Sqlite",
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(dataDirectory, "buildfarm.db")}",
            ["Messaging:Transport"] = "InMemory",
            // One process on loopback for one user: the demo needs no tokens.
            ["Auth:Mode"] = "None",
            ["Worker:Id"] = "embedded",
            ["Worker:CoordinatorUrl"] = grpc.ToString(),
            ["Worker:WorkRoot"] = Path.Combine(dataDirectory, "work"),
            ["Logging:LogLevel:Default"] = "Warning",
            ["Secrets:Key"] = LocalSecretKey(dataDirectory),
            ["Artifacts:Backend"] = "FileSystem",
            ["Artifacts:FileSystemRoot"] = Path.Combine(dataDirectory, "artifacts"),
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var app = FarmHosts.BuildCoordinator(configuration, withWorker: true);
        await app.StartAsync(cancellationToken);
        return new EmbeddedFarm(app, grpc, http);
    }

    /// <summary>The embedded farm's secret key, made once per data directory and kept beside its database.</summary>
    private static string LocalSecretKey(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, "secrets.key");
        if (!File.Exists(path))
        {
            File.WriteAllText(path, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        return File.ReadAllText(path).Trim();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
