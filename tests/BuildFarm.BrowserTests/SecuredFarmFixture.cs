using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BuildFarm.Cli.Embedded;

namespace BuildFarm.BrowserTests;

/// <summary>
/// An embedded farm with API tokens switched on (Auth:Mode=Tokens), as a real coordinator runs: the
/// dashboard must sign in, and the coordinator answers 401 and 403 itself. Tokens are made over the
/// HTTP API with the bootstrap admin token.
/// </summary>
public sealed class SecuredFarmFixture : IAsyncLifetime
{
    public const string AdminToken = "browser-tests-bootstrap-admin-token-0123456789";
    private readonly string _data = Directory.CreateTempSubdirectory("bf-browser-auth-").FullName;
    private EmbeddedFarm? _farm;

    public HttpClient Admin { get; private set; } = null!;
    public Uri BaseUrl => _farm!.HttpUrl;
    public Uri GrpcUrl => _farm!.GrpcUrl;

    public string Url(string route) => new Uri(BaseUrl, "/" + route).ToString();

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        _farm = await EmbeddedFarm.StartAsync(_data, timeout.Token, new Dictionary<string, string?>
        {
            ["Auth:Mode"] = "Tokens",
            ["Auth:BootstrapToken"] = AdminToken,
            ["Worker:Token"] = AdminToken,
            ["Worker:Labels:0"] = "linux",
            ["Worker:Labels:1"] = "java:17",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "None",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Update"] = "None",
        });
        Admin = new HttpClient { BaseAddress = _farm.HttpUrl, Timeout = TimeSpan.FromSeconds(30) };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
    }

    /// <summary>A new token of the role; its secret, which the API shows only here.</summary>
    public async Task<string> CreateTokenAsync(string name, string role)
    {
        using var response = await Admin.PostAsJsonAsync("/api/tokens", new { name, role });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
    }

    public async Task DisposeAsync()
    {
        Admin?.Dispose();
        if (_farm is not null)
        {
            await _farm.DisposeAsync();
        }

        Directory.Delete(_data, recursive: true);
    }
}
