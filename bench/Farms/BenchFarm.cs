using BuildFarm.Cli.Embedded;
using Microsoft.Extensions.Hosting;

namespace BuildFarm.Bench.Farms;

/// <summary>A farm to measure: embedded (one host) or distributed (coordinator and worker hosts on real PostgreSQL and RabbitMQ).</summary>
public sealed class BenchFarm : IAsyncDisposable
{
    private readonly List<IHost> _hosts;
    // Worker hosts by id with the settings they were built from, so one can be restarted (the soak does).
    private readonly Dictionary<string, (IHost Host, Dictionary<string, string?> Settings)> _workers = [];
    private readonly string _directory;
    private readonly Dictionary<string, string?> _workerSettings;

    private BenchFarm(List<IHost> hosts, IReadOnlyList<Uri> grpc, string directory, Dictionary<string, string?> workerSettings)
    {
        _hosts = hosts;
        GrpcUrls = grpc;
        _directory = directory;
        _workerSettings = workerSettings;
    }

    /// <summary>The first coordinator's gRPC address.</summary>
    public Uri GrpcUrl => GrpcUrls[0];

    /// <summary>Every coordinator's gRPC address (several coordinators share one database and broker, as one farm).</summary>
    public IReadOnlyList<Uri> GrpcUrls { get; }

    /// <summary>The bootstrap admin token every bench farm starts with; the workers use it too.</summary>
    public static string Token { get; } = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public static async Task<BenchFarm> StartEmbeddedAsync(CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("bf-bench-").FullName;
        var grpc = new Uri($"http://127.0.0.1:{FarmHosts.FreePort()}");
        var app = FarmHosts.BuildCoordinator(Common(directory, grpc, new()
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(directory, "buildfarm.db")}",
            ["Messaging:Transport"] = "InMemory",
            // Like `./buildfarm demo`, which this farm stands for.
            ["Auth:Mode"] = "None",
        }), withWorker: true);
        await app.StartAsync(cancellationToken);
        return new BenchFarm([app], [grpc], directory, []);
    }

    /// <summary>
    /// Needs BUILDFARM_TEST_POSTGRES and BUILDFARM_TEST_RABBITMQ (scripts/bench.sh starts both). With several
    /// <paramref name="coordinators"/>, worker i talks to coordinator i mod N; all share the database and the broker.
    /// </summary>
    public static async Task<BenchFarm> StartDistributedAsync(CancellationToken cancellationToken, int workers = 1, int slots = 1, int coordinators = 1)
    {
        var postgres = Environment.GetEnvironmentVariable("BUILDFARM_TEST_POSTGRES")
            ?? throw new InvalidOperationException("BUILDFARM_TEST_POSTGRES is not set: run through scripts/bench.sh, which starts PostgreSQL and RabbitMQ.");
        var rabbit = Environment.GetEnvironmentVariable("BUILDFARM_TEST_RABBITMQ")
            ?? throw new InvalidOperationException("BUILDFARM_TEST_RABBITMQ is not set: run through scripts/bench.sh.");
        var directory = Directory.CreateTempSubdirectory("bf-bench-").FullName;
        var grpcs = Enumerable.Range(0, coordinators).Select(_ => new Uri($"http://127.0.0.1:{FarmHosts.FreePort()}")).ToList();
        var grpc = grpcs[0];
        var database = $"bench_{Guid.NewGuid():N}";
        var shared = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["Database:ConnectionString"] = ReplaceDatabase(postgres, database),
            ["Messaging:Transport"] = "RabbitMq",
            ["Messaging:RabbitMqUri"] = rabbit,
            ["Messaging:RunJobQueue"] = $"run-job-{database}",
        };
        await CreateDatabaseAsync(postgres, database, cancellationToken);
        // One after the other: the first migrates the fresh database, the rest find it done.
        var coordinatorHosts = new List<IHost>();
        foreach (var url in grpcs)
        {
            var coordinator = FarmHosts.BuildCoordinator(Common(directory, url, shared));
            await coordinator.StartAsync(cancellationToken);
            coordinatorHosts.Add(coordinator);
        }

        var workerHosts = new Dictionary<string, (IHost, Dictionary<string, string?>)>();
        for (var i = 1; i <= workers; i++)
        {
            var configuration = Common(directory, grpcs[(i - 1) % grpcs.Count], shared);
            configuration["Worker:Id"] = $"bench-worker-{i}";
            configuration["Worker:WorkRoot"] = Path.Combine(directory, $"work-{i}");
            configuration["Worker:Slots"] = slots.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var worker = FarmHosts.BuildWorker(configuration);
            await worker.StartAsync(cancellationToken);
            workerHosts[configuration["Worker:Id"]!] = (worker, configuration);
        }

        var farm = new BenchFarm(coordinatorHosts, grpcs, directory, Common(directory, grpc, shared));
        foreach (var (id, worker) in workerHosts)
        {
            farm._workers[id] = worker;
        }

        return farm;
    }

    /// <summary>The ids of this farm's in-process workers.</summary>
    public IReadOnlyCollection<string> WorkerIds => _workers.Keys;

    /// <summary>Stops a worker as SIGTERM would (it drains), then starts it again with the same id and settings.</summary>
    public async Task RestartWorkerAsync(string workerId, CancellationToken cancellationToken)
    {
        var (host, settings) = _workers[workerId];
        await host.StopAsync(cancellationToken);
        host.Dispose();
        var fresh = FarmHosts.BuildWorker(settings);
        await fresh.StartAsync(cancellationToken);
        _workers[workerId] = (fresh, settings);
    }

    /// <summary>
    /// The settings of a worker of this distributed farm as environment variables (<c>Section__Key</c>), for a
    /// worker started as its own process, whose memory can then be measured apart from the coordinator's.
    /// </summary>
    /// <param name="workerId">The worker's id.</param>
    /// <param name="slots">Its slots.</param>
    /// <param name="coordinator">The coordinator it talks to (index into <see cref="GrpcUrls"/>).</param>
    public IReadOnlyDictionary<string, string> WorkerEnvironment(string workerId, int slots = 1, int coordinator = 0)
    {
        if (_workerSettings.Count == 0)
        {
            throw new InvalidOperationException("Only a distributed bench farm can have worker processes.");
        }

        var settings = new Dictionary<string, string?>(_workerSettings)
        {
            ["Worker:Id"] = workerId,
            ["Worker:WorkRoot"] = Path.Combine(_directory, workerId),
            ["Worker:Slots"] = slots.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Worker:CoordinatorUrl"] = GrpcUrls[coordinator].ToString(),
        };
        return settings.Where(s => s.Value is not null).ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value!);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _workers.Values.Select(w => w.Host).Concat(_hosts))
        {
            await host.StopAsync(CancellationToken.None);
            host.Dispose();
        }

        Directory.Delete(_directory, recursive: true);
    }

    private static Dictionary<string, string?> Common(string directory, Uri grpc, Dictionary<string, string?> extra)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["Coordinator:HttpUrl"] = $"http://127.0.0.1:{FarmHosts.FreePort()}",
            ["Coordinator:GrpcUrl"] = grpc.ToString(),
            ["Worker:Id"] = "bench-worker",
            ["Worker:CoordinatorUrl"] = grpc.ToString(),
            ["Worker:WorkRoot"] = Path.Combine(directory, "work"),
            ["Auth:BootstrapToken"] = Token,
            ["Worker:Token"] = Token,
            ["Logging:LogLevel:Default"] = "Warning",
            // EF logs its probe of a fresh database's migrations table as an error; the migrator handles it.
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "None",
        };
        foreach (var (key, value) in extra)
        {
            configuration[key] = value;
        }

        return configuration;
    }

    internal static string ReplaceDatabase(string connectionString, string database) =>
        new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Database = database }.ConnectionString;

    internal static async Task CreateDatabaseAsync(string connectionString, string database, CancellationToken cancellationToken)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new Npgsql.NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
