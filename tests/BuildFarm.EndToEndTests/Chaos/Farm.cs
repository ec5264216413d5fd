using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace BuildFarm.EndToEndTests.Chaos;

/// <summary>
/// One scenario's distributed farm: its own database, virtual host, ports and directory, and the
/// coordinator and worker processes it started. Disposing kills every one of them, by PID.
/// </summary>
internal sealed class Farm : IAsyncDisposable
{
    private readonly ChaosFixture _fixture;
    private readonly string _connectionString;
    private readonly Uri _rabbitMqUri;
    private readonly List<FarmProcess> _processes = [];
    private readonly int _httpPort;
    private readonly int _grpcPort;
    private readonly int _secondHttpPort;
    private readonly int _secondGrpcPort;
    private readonly int _leaseSeconds;

    private Farm(ChaosFixture fixture, string directory, string connectionString, Uri rabbitMqUri, int leaseSeconds)
    {
        _fixture = fixture;
        _leaseSeconds = leaseSeconds;
        Directory = directory;
        _connectionString = connectionString;
        _rabbitMqUri = rabbitMqUri;
        var ports = new HashSet<int>();
        while (ports.Count < 4)
        {
            ports.Add(FreePort());
        }

        (_httpPort, _grpcPort, _secondHttpPort, _secondGrpcPort) = (ports.ElementAt(0), ports.ElementAt(1), ports.ElementAt(2), ports.ElementAt(3));
        Client = new FarmClient(new Uri($"http://127.0.0.1:{_httpPort}/"));
        SecondClient = new FarmClient(new Uri($"http://127.0.0.1:{_secondHttpPort}/"));
    }

    public string Directory { get; }

    public FarmClient Client { get; }

    /// <summary>The second coordinator's HTTP API; answers only after <see cref="StartSecondCoordinatorAsync"/>.</summary>
    public FarmClient SecondClient { get; }

    public FarmProcess? Coordinator { get; private set; }

    public FarmProcess? SecondCoordinator { get; private set; }

    /// <param name="fixture">The shared build and services.</param>
    /// <param name="name">Names the database, vhost and directory.</param>
    /// <param name="leaseSeconds">Scheduling:LeaseSeconds, the same for every start of the coordinator.</param>
    /// <param name="cancellationToken">Bounds the setup.</param>
    public static async Task<Farm> CreateAsync(ChaosFixture fixture, string name, int leaseSeconds, CancellationToken cancellationToken)
    {
        var connectionString = await fixture.CreateDatabaseAsync(name, cancellationToken);
        var rabbitMqUri = await fixture.CreateVirtualHostAsync(name, cancellationToken);
        return new Farm(fixture, fixture.CreateDirectory(name), connectionString, rabbitMqUri, leaseSeconds);
    }

    /// <summary>A farm on a broker of the scenario's own (<see cref="ThrowawayBroker"/>) instead of a vhost on the shared one.</summary>
    public static async Task<Farm> CreateOnBrokerAsync(ChaosFixture fixture, string name, int leaseSeconds, Uri broker, CancellationToken cancellationToken)
    {
        var connectionString = await fixture.CreateDatabaseAsync(name, cancellationToken);
        var rabbitMqUri = broker;
        return new Farm(fixture, fixture.CreateDirectory(name), connectionString, rabbitMqUri, leaseSeconds);
    }

    /// <summary>A farm on a PostgreSQL server of the scenario's own (<see cref="ThrowawayPostgres"/>) instead of a database on the shared one.</summary>
    public static async Task<Farm> CreateOnDatabaseAsync(ChaosFixture fixture, string name, int leaseSeconds, string connectionString, CancellationToken cancellationToken)
    {
        var rabbitMqUri = await fixture.CreateVirtualHostAsync(name, cancellationToken);
        return new Farm(fixture, fixture.CreateDirectory(name), connectionString, rabbitMqUri, leaseSeconds);
    }

    /// <summary>Starts the coordinator (always on this farm's ports) and waits until its HTTP API answers.</summary>
    public async Task StartCoordinatorAsync(CancellationToken cancellationToken) =>
        Coordinator = await StartCoordinatorOnAsync("coordinator", _httpPort, _grpcPort, Client, cancellationToken);

    /// <summary>
    /// Starts a second coordinator on the same database and broker but its own ports, and waits
    /// until its HTTP API (<see cref="SecondClient"/>) answers.
    /// </summary>
    public async Task StartSecondCoordinatorAsync(CancellationToken cancellationToken) =>
        SecondCoordinator = await StartCoordinatorOnAsync("coordinator-2", _secondHttpPort, _secondGrpcPort, SecondClient, cancellationToken);

    private async Task<FarmProcess> StartCoordinatorOnAsync(string name, int httpPort, int grpcPort, FarmClient client, CancellationToken cancellationToken)
    {
        var environment = CommonEnvironment();
        environment["Database__Provider"] = "Postgres";
        environment["Database__ConnectionString"] = _connectionString;
        environment["Coordinator__HttpUrl"] = $"http://127.0.0.1:{httpPort}";
        environment["Coordinator__GrpcUrl"] = $"http://127.0.0.1:{grpcPort}";
        environment["Scheduling__LeaseSeconds"] = Invariant(_leaseSeconds);
        environment["Scheduling__SweepSeconds"] = Invariant(ChaosSettings.SweepSeconds);
        environment["Scheduling__MaxAttempts"] = Invariant(ChaosSettings.MaxAttempts);
        environment["Deployments__AgentHeartbeatSeconds"] = Invariant(ChaosSettings.HeartbeatSeconds);
        environment["Deployments__AgentSilenceSeconds"] = Invariant(ChaosSettings.AgentSilenceSeconds);
        environment["Deployments__SweepSeconds"] = Invariant(ChaosSettings.SweepSeconds);
        var coordinator = Start(name, _fixture.CoordinatorDll, environment);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ChaosSettings.CoordinatorStartTimeout);
        while (!await client.IsHealthyAsync(timeout.Token))
        {
            if (coordinator.HasExited)
            {
                throw new InvalidOperationException($"{name} exited during start.\n{Describe()}");
            }

            try
            {
                await Task.Delay(ChaosSettings.PollInterval, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{name} did not answer /healthz within {ChaosSettings.CoordinatorStartTimeout}.\n{Describe()}");
            }
        }

        return coordinator;
    }

    /// <summary>Starts a worker with one slot; it needs no coordinator yet (it retries), so nothing is awaited.</summary>
    /// <param name="id">Worker:Id, also the process's name in failure messages.</param>
    /// <param name="drainSeconds">Worker:DrainSeconds, or the worker's default.</param>
    /// <param name="toSecondCoordinator">Talk gRPC to the second coordinator instead of the first.</param>
    /// <param name="drainTimeoutAction">Worker:DrainTimeoutAction, or the worker's default (Cancel).</param>
    public FarmProcess StartWorker(string id, int? drainSeconds = null, bool toSecondCoordinator = false, string? drainTimeoutAction = null)
    {
        var environment = CommonEnvironment();
        environment["Worker__Id"] = id;
        environment["Worker__CoordinatorUrl"] = $"http://127.0.0.1:{(toSecondCoordinator ? _secondGrpcPort : _grpcPort)}";
        if (drainSeconds is { } drain)
        {
            environment["Worker__DrainSeconds"] = Invariant(drain);
        }

        if (drainTimeoutAction is not null)
        {
            environment["Worker__DrainTimeoutAction"] = drainTimeoutAction;
        }

        environment["Worker__WorkRoot"] = System.IO.Directory.CreateDirectory(Path.Combine(Directory, "work-" + id)).FullName;
        environment["Worker__HeartbeatSeconds"] = Invariant(ChaosSettings.HeartbeatSeconds);
        environment["Worker__Slots"] = "1";
        return Start(id, _fixture.WorkerDll, environment);
    }

    /// <summary>
    /// Starts a deploy agent: the worker binary in the Agent role, as `buildfarm agent --group GROUP --root ROOT`
    /// runs it, registering <paramref name="instance"/> and mapping every absolute path under <paramref name="root"/>.
    /// Like a worker, it needs no coordinator yet.
    /// </summary>
    public FarmProcess StartAgent(string instance, string group, string root)
    {
        var environment = CommonEnvironment();
        environment["Worker__Role"] = "Agent";
        environment["Worker__CoordinatorUrl"] = $"http://127.0.0.1:{_grpcPort}";
        environment["Worker__HeartbeatSeconds"] = Invariant(ChaosSettings.HeartbeatSeconds);
        environment["Agent__InstanceName"] = instance;
        environment["Agent__Group"] = group;
        environment["Agent__Root"] = root;
        environment["Agent__HookKillGraceSeconds"] = "1";
        return Start(instance, _fixture.WorkerDll, environment);
    }

    /// <summary>What every process said last, for a failure message.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        lock (_processes)
        {
            foreach (var process in _processes)
            {
                text.AppendLine(process.Describe());
            }
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        FarmProcess[] processes;
        lock (_processes)
        {
            processes = [.. _processes];
        }

        var failures = new List<Exception>();
        foreach (var process in processes)
        {
            try
            {
                await process.DisposeAsync();
            }
            catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Keep killing the others; the failure is reported below.
                failures.Add(ex);
            }
        }

        Client.Dispose();
        SecondClient.Dispose();
        if (failures.Count > 0)
        {
            throw new AggregateException("Some farm processes could not be stopped.", failures);
        }
    }

    private FarmProcess Start(string name, string dll, Dictionary<string, string> environment)
    {
        var process = FarmProcess.Start(name, dll, environment);
        lock (_processes)
        {
            _processes.Add(process);
        }

        return process;
    }

    private Dictionary<string, string> CommonEnvironment() => new(StringComparer.Ordinal)
    {
        ["Messaging__Transport"] = "RabbitMq",
        ["Auth__BootstrapToken"] = FarmClient.Token,
        ["Worker__Token"] = FarmClient.Token,
        ["Messaging__RabbitMqUri"] = _rabbitMqUri.ToString(),
        ["Logging__LogLevel__Default"] = "Warning",
        // Failure messages interleave several processes' output; times make it one story.
        ["Logging__Console__TimestampFormat"] = "HH:mm:ss.fff ",
        ["Logging__Console__UseUtcTimestamp"] = "true",
        ["DOTNET_NOLOGO"] = "1",
    };

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    // Below the ephemeral range (32768+), as scripts/services do, so no outgoing connection sits on
    // it when the coordinator binds it again after a restart.
    public static int FreePort()
    {
        for (var i = 0; i < 200; i++)
        {
            var port = Random.Shared.Next(20000, 32000);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                listener.Stop();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
        }

        throw new InvalidOperationException("No free loopback port in 20000-32000 after 200 tries.");
    }
}
