using Npgsql;

namespace BuildFarm.IntegrationTests.Fixtures;

/// <summary>
/// The PostgreSQL server that <c>scripts/test.sh</c> started, shared by the whole run. Each test class
/// asks for a database of its own, so no test sees another's rows.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public const string EnvironmentVariable = "BUILDFARM_TEST_POSTGRES";

    // The Npgsql test-suite pattern: the environment variable, else a server on the default loopback port.
    public const string DefaultConnectionString =
        "Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres;Pooling=true";

    private static readonly TimeSpan SetupTimeout = TimeSpan.FromSeconds(30);

    private readonly List<string> _databases = [];
    private readonly Lock _databasesLock = new();
    private NpgsqlDataSource? _admin;

    public string ConnectionString { get; } =
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value ? value : DefaultConnectionString;

    private NpgsqlDataSource Admin =>
        _admin ?? throw new InvalidOperationException($"{nameof(PostgresFixture)} is used before xunit initialised it.");

    public async Task InitializeAsync()
    {
        _admin = NpgsqlDataSource.Create(ConnectionString);
        using var timeout = new CancellationTokenSource(SetupTimeout);
        try
        {
            await using var connection = await _admin.OpenConnectionAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException)
        {
            // Rethrown with the one hint that fixes it: the bare socket error doesn't say where the address came from.
            throw new InvalidOperationException(
                $"PostgreSQL is not reachable at '{ConnectionString}'. Run the tests through scripts/test.sh, " +
                $"or point {EnvironmentVariable} at a server.", ex);
        }
    }

    /// <summary>Creates an empty database named after <paramref name="prefix"/> and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix, CancellationToken cancellationToken)
    {
        var name = UniqueName.Create(prefix, '_', 63);
        await using (var command = Admin.CreateCommand($"CREATE DATABASE \"{name}\""))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        lock (_databasesLock)
        {
            _databases.Add(name);
        }

        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        if (_admin is null)
        {
            return;
        }

        string[] databases;
        lock (_databasesLock)
        {
            databases = [.. _databases];
        }

        // The test.sh server is thrown away anyway; dropping matters when the variable points at a
        // developer's long-lived server. FORCE closes the connections still pooled by the tests.
        using var timeout = new CancellationTokenSource(SetupTimeout);
        foreach (var name in databases)
        {
            await using var command = _admin.CreateCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
            await command.ExecuteNonQueryAsync(timeout.Token);
        }

        await _admin.DisposeAsync();
    }
}
