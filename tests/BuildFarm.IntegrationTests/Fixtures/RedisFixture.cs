using StackExchange.Redis;

namespace BuildFarm.IntegrationTests.Fixtures;

/// <summary>
/// The Redis server that <c>scripts/test.sh</c> started, shared by the whole run through one
/// multiplexer (StackExchange.Redis expects one per process). Redis has no cheap namespaces, so each
/// test class takes a key prefix of its own instead.
/// </summary>
public sealed class RedisFixture : IAsyncLifetime
{
    public const string EnvironmentVariable = "BUILDFARM_TEST_REDIS";

    // The Npgsql test-suite pattern: the environment variable, else a server on the default loopback port.
    public const string DefaultConfiguration = "127.0.0.1:6379";

    private static readonly TimeSpan SetupTimeout = TimeSpan.FromSeconds(30);

    private readonly List<string> _prefixes = [];
    private readonly Lock _prefixesLock = new();
    private ConnectionMultiplexer? _connection;

    public string Configuration { get; } =
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value ? value : DefaultConfiguration;

    public ConnectionMultiplexer Connection =>
        _connection ?? throw new InvalidOperationException($"{nameof(RedisFixture)} is used before xunit initialised it.");

    public async Task InitializeAsync()
    {
        var options = ConfigurationOptions.Parse(Configuration);
        // Fail the run with a clear message rather than letting every test time out on a missing server.
        options.AbortOnConnectFail = true;
        options.ConnectTimeout = (int)SetupTimeout.TotalMilliseconds;
        try
        {
            _connection = await ConnectionMultiplexer.ConnectAsync(options);
        }
        catch (RedisConnectionException ex)
        {
            // Rethrown with the one hint that fixes it: the bare socket error doesn't say where the address came from.
            throw new InvalidOperationException(
                $"Redis is not reachable at '{Configuration}'. Run the tests through scripts/test.sh, " +
                $"or point {EnvironmentVariable} at a server.", ex);
        }
    }

    /// <summary>Returns a key prefix (ending in ':') that no other call hands out, named after <paramref name="prefix"/>.</summary>
    public string CreateKeyPrefix(string prefix)
    {
        var unique = UniqueName.Create(prefix, '-', 100) + ":";
        lock (_prefixesLock)
        {
            _prefixes.Add(unique);
        }

        return unique;
    }

    public async Task DisposeAsync()
    {
        if (_connection is null)
        {
            return;
        }

        string[] prefixes;
        lock (_prefixesLock)
        {
            prefixes = [.. _prefixes];
        }

        // The test.sh server is thrown away anyway; deleting matters when the variable points at a
        // developer's long-lived server.
        using var timeout = new CancellationTokenSource(SetupTimeout);
        var database = _connection.GetDatabase();
        foreach (var server in _connection.GetServers())
        {
            foreach (var prefix in prefixes)
            {
                var keys = new List<RedisKey>();
                await foreach (var key in server.KeysAsync(pattern: prefix + "*").WithCancellation(timeout.Token))
                {
                    keys.Add(key);
                }

                if (keys.Count > 0)
                {
                    await database.KeyDeleteAsync([.. keys]);
                }
            }
        }

        await _connection.DisposeAsync();
    }
}
