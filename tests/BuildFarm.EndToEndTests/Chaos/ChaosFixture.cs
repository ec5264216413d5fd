using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;

namespace BuildFarm.EndToEndTests.Chaos;

/// <summary>
/// Builds the coordinator and the worker once (Release, into a temp directory) for all chaos
/// scenarios, and hands each scenario an empty database and virtual host on the PostgreSQL and
/// RabbitMQ that <c>scripts/test.sh</c> started, so no scenario sees another's runs or messages.
/// </summary>
public sealed class ChaosFixture : IAsyncLifetime
{
    private const string PostgresVariable = "BUILDFARM_TEST_POSTGRES";
    private const string RabbitMqVariable = "BUILDFARM_TEST_RABBITMQ";
    private const string ManagementVariable = "BUILDFARM_TEST_RABBITMQ_MANAGEMENT";

    private readonly string _root = Directory.CreateTempSubdirectory("bf-chaos-").FullName;
    private readonly List<string> _databases = [];
    private readonly List<string> _virtualHosts = [];
    private readonly Lock _namesLock = new();
    private readonly HttpClient _management;
    private readonly string _rabbitUser;

    public ChaosFixture()
    {
        // The Npgsql pattern: the variable, else a server on the default loopback port.
        PostgresConnectionString = FromEnvironment(PostgresVariable, "Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres");
        RabbitMqUri = new Uri(FromEnvironment(RabbitMqVariable, "amqp://guest:guest@127.0.0.1:5672/"));
        var management = new Uri(FromEnvironment(ManagementVariable, "http://127.0.0.1:15672/"));
        var userInfo = RabbitMqUri.UserInfo.Split(':', 2);
        _rabbitUser = userInfo[0].Length > 0 ? Uri.UnescapeDataString(userInfo[0]) : "guest";
        var password = userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : "guest";
        _management = new HttpClient { BaseAddress = management, Timeout = ChaosSettings.CallTimeout };
        _management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_rabbitUser}:{password}")));
    }

    public string PostgresConnectionString { get; }

    public Uri RabbitMqUri { get; }

    public string CoordinatorDll => Path.Combine(_root, "coordinator", "BuildFarm.Coordinator.dll");

    public string WorkerDll => Path.Combine(_root, "worker", "BuildFarm.Worker.dll");

    /// <summary>A fresh directory for one scenario's files (work roots, count files), removed with the fixture.</summary>
    public string CreateDirectory(string name) => Directory.CreateDirectory(Path.Combine(_root, "farms", Unique(name))).FullName;

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(ChaosSettings.CallTimeout);
        try
        {
            await PsqlAsync("SELECT 1", timeout.Token);
            using var overview = await _management.GetAsync(new Uri("api/overview", UriKind.Relative), timeout.Token);
            overview.EnsureSuccessStatusCode();
        }
        catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or OperationCanceledException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException(
                $"The chaos tests need PostgreSQL ({PostgresVariable}) and RabbitMQ with its management API " +
                $"({RabbitMqVariable}, {ManagementVariable}), and psql on PATH; run them through scripts/test.sh.", ex);
        }

        // One after the other: both builds share core/ and contracts/, and a parallel build of the same project races on its obj/.
        await BuildAsync("coordinator/BuildFarm.Coordinator.csproj", Path.GetDirectoryName(CoordinatorDll)!);
        await BuildAsync("worker/BuildFarm.Worker.csproj", Path.GetDirectoryName(WorkerDll)!);
    }

    /// <summary>Creates an empty database and returns the connection string for it.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix, CancellationToken cancellationToken)
    {
        var name = Unique(prefix).Replace('-', '_');
        await PsqlAsync($"CREATE DATABASE \"{name}\"", cancellationToken);
        lock (_namesLock)
        {
            _databases.Add(name);
        }

        var parts = ConnectionStringParts(PostgresConnectionString);
        parts["Database"] = name;
        return string.Join(';', parts.Select(p => $"{p.Key}={p.Value}"));
    }

    /// <summary>Creates a virtual host, grants the user everything on it, and returns its AMQP URI.</summary>
    public async Task<Uri> CreateVirtualHostAsync(string prefix, CancellationToken cancellationToken)
    {
        var name = Unique(prefix);
        using (var created = await _management.PutAsync(new Uri($"api/vhosts/{name}", UriKind.Relative), JsonContent.Create(new { }), cancellationToken))
        {
            created.EnsureSuccessStatusCode();
        }

        lock (_namesLock)
        {
            _virtualHosts.Add(name);
        }

        var permissions = JsonContent.Create(new { configure = ".*", write = ".*", read = ".*" });
        var path = $"api/permissions/{name}/{Uri.EscapeDataString(_rabbitUser)}";
        using (var granted = await _management.PutAsync(new Uri(path, UriKind.Relative), permissions, cancellationToken))
        {
            granted.EnsureSuccessStatusCode();
        }

        return new UriBuilder(RabbitMqUri) { Path = "/" + name }.Uri;
    }

    public async Task DisposeAsync()
    {
        string[] databases;
        string[] virtualHosts;
        lock (_namesLock)
        {
            (databases, virtualHosts) = ([.. _databases], [.. _virtualHosts]);
        }

        // The test.sh services are thrown away anyway; this matters for a developer's long-lived ones.
        using var timeout = new CancellationTokenSource(ChaosSettings.CallTimeout);
        foreach (var name in databases)
        {
            await PsqlAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", timeout.Token);
        }

        foreach (var name in virtualHosts)
        {
            using var deleted = await _management.DeleteAsync(new Uri($"api/vhosts/{name}", UriKind.Relative), timeout.Token);
        }

        _management.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private static async Task BuildAsync(string project, string output)
    {
        // -nodeReuse:false: no MSBuild node outlives the build, so the test leaves no processes behind.
        var (exit, text) = await RunAsync(
            "dotnet",
            ["build", Path.Combine(Launcher.RepositoryRoot, project), "-c", "Release", "-o", output, "-nodeReuse:false", "-v:q", "-nologo"],
            ChaosSettings.BuildTimeout,
            CancellationToken.None);
        if (exit != 0)
        {
            throw new InvalidOperationException($"dotnet build {project} failed ({exit}):\n{text}");
        }
    }

    private async Task PsqlAsync(string sql, CancellationToken cancellationToken)
    {
        var parts = ConnectionStringParts(PostgresConnectionString);
        var arguments = new List<string> { "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql };
        foreach (var (key, flag) in new[] { ("Host", "-h"), ("Port", "-p"), ("Username", "-U"), ("Database", "-d") })
        {
            if (parts.TryGetValue(key, out var value))
            {
                arguments.AddRange([flag, value]);
            }
        }

        var environment = parts.TryGetValue("Password", out var password) ? new Dictionary<string, string> { ["PGPASSWORD"] = password } : null;
        var (exit, text) = await RunAsync("psql", arguments, ChaosSettings.CallTimeout, cancellationToken, environment);
        if (exit != 0)
        {
            throw new InvalidOperationException($"psql -c '{sql}' failed ({exit}): {text}");
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(
        string file, IEnumerable<string> arguments, TimeSpan limit, CancellationToken cancellationToken, Dictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = Launcher.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? [])
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish in {limit}");
        }

        return (process.ExitCode, (await stdout) + (await stderr));
    }

    private static Dictionary<string, string> ConnectionStringParts(string connectionString) =>
        connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => Canonical(pair[0]), pair => pair[1], StringComparer.OrdinalIgnoreCase);

    // Npgsql accepts several spellings of a key; psql needs to know which is which.
    private static string Canonical(string key) => key.Trim().ToLowerInvariant() switch
    {
        "server" or "host" => "Host",
        "user id" or "userid" or "user name" or "username" or "user" => "Username",
        "database" or "db" => "Database",
        "pwd" or "password" => "Password",
        "port" => "Port",
        _ => key.Trim(),
    };

    // Lower-case letters, digits and '-' only, which every name here accepts; random so reruns never collide.
    private static string Unique(string prefix) => $"bf-{prefix}-{Guid.NewGuid().ToString("N")[..10]}";

    private static string FromEnvironment(string variable, string fallback) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value : fallback;
}
