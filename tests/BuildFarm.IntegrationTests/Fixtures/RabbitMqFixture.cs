using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;

namespace BuildFarm.IntegrationTests.Fixtures;

/// <summary>
/// The RabbitMQ broker that <c>scripts/test.sh</c> started, shared by the whole run. Each test class
/// asks for a virtual host of its own (made through the management HTTP API), so queues, exchanges
/// and messages never leak between classes.
/// </summary>
public sealed class RabbitMqFixture : IAsyncLifetime
{
    public const string AmqpEnvironmentVariable = "BUILDFARM_TEST_RABBITMQ";
    public const string ManagementEnvironmentVariable = "BUILDFARM_TEST_RABBITMQ_MANAGEMENT";

    // The broker's and the management plugin's default loopback ports, as in the Npgsql pattern.
    public const string DefaultAmqpUri = "amqp://guest:guest@127.0.0.1:5672/";
    public const string DefaultManagementUri = "http://127.0.0.1:15672/";

    private static readonly TimeSpan SetupTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _management;
    private readonly string _user;
    private readonly List<string> _virtualHosts = [];
    private readonly Lock _virtualHostsLock = new();

    public RabbitMqFixture()
    {
        AmqpUri = new Uri(FromEnvironment(AmqpEnvironmentVariable, DefaultAmqpUri));
        ManagementUri = new Uri(FromEnvironment(ManagementEnvironmentVariable, DefaultManagementUri));

        // The management API takes the same credentials as AMQP, so they are read from the AMQP URI.
        var userInfo = AmqpUri.UserInfo.Split(':', 2);
        _user = userInfo[0].Length > 0 ? Uri.UnescapeDataString(userInfo[0]) : "guest";
        var password = userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : "guest";

        _management = new HttpClient { BaseAddress = ManagementUri, Timeout = SetupTimeout };
        _management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_user}:{password}")));
    }

    /// <summary>The broker's default virtual host; tests should use <see cref="CreateVirtualHostAsync"/> instead.</summary>
    public Uri AmqpUri { get; }

    public Uri ManagementUri { get; }

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(SetupTimeout);
        try
        {
            using var response = await _management.GetAsync(new Uri("api/overview", UriKind.Relative), timeout.Token);
            await EnsureSuccessAsync(response, "GET api/overview", timeout.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            // Rethrown with the one hint that fixes it: the bare socket error doesn't say where the address came from.
            throw new InvalidOperationException(
                $"The RabbitMQ management API is not reachable at {ManagementUri}. Run the tests through " +
                $"scripts/test.sh, or point {AmqpEnvironmentVariable} and {ManagementEnvironmentVariable} at a broker " +
                "with the rabbitmq_management plugin.", ex);
        }
    }

    /// <summary>
    /// Creates a virtual host named after <paramref name="prefix"/>, grants the fixture's user full
    /// rights on it, and returns the AMQP URI that connects to it.
    /// </summary>
    public async Task<Uri> CreateVirtualHostAsync(string prefix, CancellationToken cancellationToken)
    {
        var name = UniqueName.Create(prefix, '-', 63);
        var escaped = Uri.EscapeDataString(name);

        using (var created = await _management.PutAsync(
            new Uri($"api/vhosts/{escaped}", UriKind.Relative), JsonContent.Create(new { }), cancellationToken))
        {
            await EnsureSuccessAsync(created, $"PUT api/vhosts/{escaped}", cancellationToken);
        }

        lock (_virtualHostsLock)
        {
            _virtualHosts.Add(name);
        }

        var permissions = JsonContent.Create(new { configure = ".*", write = ".*", read = ".*" });
        var permissionsPath = $"api/permissions/{escaped}/{Uri.EscapeDataString(_user)}";
        using (var granted = await _management.PutAsync(new Uri(permissionsPath, UriKind.Relative), permissions, cancellationToken))
        {
            await EnsureSuccessAsync(granted, $"PUT {permissionsPath}", cancellationToken);
        }

        return new UriBuilder(AmqpUri) { Path = "/" + escaped }.Uri;
    }

    public async Task DisposeAsync()
    {
        string[] virtualHosts;
        lock (_virtualHostsLock)
        {
            virtualHosts = [.. _virtualHosts];
        }

        // The test.sh broker is thrown away anyway; deleting matters when the variables point at a
        // developer's long-lived broker.
        using var timeout = new CancellationTokenSource(SetupTimeout);
        foreach (var name in virtualHosts)
        {
            var path = $"api/vhosts/{Uri.EscapeDataString(name)}";
            using var deleted = await _management.DeleteAsync(new Uri(path, UriKind.Relative), timeout.Token);
            await EnsureSuccessAsync(deleted, $"DELETE {path}", timeout.Token);
        }

        _management.Dispose();
    }

    private static string FromEnvironment(string variable, string fallback) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value : fallback;

    // The management API explains a refusal in its body; EnsureSuccessStatusCode would drop it.
    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string request, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException(
                $"RabbitMQ management {request} answered {(int)response.StatusCode} {response.ReasonPhrase}: {body}",
                inner: null,
                response.StatusCode);
        }
    }
}
