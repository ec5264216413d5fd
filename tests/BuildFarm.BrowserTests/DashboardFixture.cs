using System.Net.Http.Json;
using System.Text.Json;
using BuildFarm.Cli.Embedded;
using Microsoft.Playwright;

namespace BuildFarm.BrowserTests;

/// <summary>
/// A real embedded farm (coordinator and worker in one process, SQLite, in-memory bus) serving the
/// dashboard, and Debian's headless Chromium driven by Playwright. Pipelines are applied and runs
/// triggered over the public HTTP API, as an operator's tools would.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("bf-browser-").FullName;
    private EmbeddedFarm? _farm;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public Uri BaseUrl => _farm!.HttpUrl;
    public Uri GrpcUrl => _farm!.GrpcUrl;

    /// <summary>Where screenshots of the main pages go (kept as test artifacts).</summary>
    public string Screenshots { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Screenshots);
        // Hang bounds, not speed checks: the suite's other assemblies share the 2 cores while these run.
        Assertions.SetDefaultExpectTimeout(15_000);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        _farm = await EmbeddedFarm.StartAsync(_data, timeout.Token, new Dictionary<string, string?>
        {
            // A redelivered phase or resent log chunk hits its unique index: the expected dedupe, not news.
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "None",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Update"] = "None",
        });
        Http = new HttpClient { BaseAddress = _farm.HttpUrl, Timeout = TimeSpan.FromSeconds(30) };
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath(),
            Headless = true,
        });
    }

    /// <summary>A fresh browser context (own sessionStorage) with one page, sized like a laptop screen.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            AcceptDownloads = true,
        });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    public string Url(string route) => new Uri(BaseUrl, "/" + route).ToString();

    /// <summary>A fresh page signed in to <paramref name="farm"/> with <paramref name="token"/>, on the pipelines page.</summary>
    public async Task<IPage> SignInAsync(SecuredFarmFixture farm, string token)
    {
        var page = await NewPageAsync();
        await page.GotoAsync(farm.Url("#/signin"));
        await page.GetByLabel("API token").FillAsync(token);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Pipelines");
        return page;
    }

    public async Task ApplyPipelineAsync(string name, string buildspec)
    {
        using var response = await Http.PutAsJsonAsync($"/api/pipelines/{name}", new { definition = buildspec, fileName = "buildspec.yml" });
        response.EnsureSuccessStatusCode();
    }

    public async Task<string> TriggerAsync(string pipeline)
    {
        using var response = await Http.PostAsJsonAsync("/api/runs", new { pipeline });
        response.EnsureSuccessStatusCode();
        var run = await response.Content.ReadFromJsonAsync<JsonElement>();
        return run.GetProperty("id").GetString()!;
    }

    /// <summary>Polls the run until it is final; the bound only catches a hang.</summary>
    public async Task<string> WaitForRunAsync(string id, TimeSpan bound)
    {
        var deadline = DateTime.UtcNow + bound;
        while (true)
        {
            var run = await Http.GetFromJsonAsync<JsonElement>($"/api/runs/{id}");
            var status = run.GetProperty("status").GetString()!;
            if (status is "Succeeded" or "Failed" or "Cancelled")
            {
                return status;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Run {id} is still {status} after {bound}.");
            }

            await Task.Delay(100);
        }
    }

    public async Task ScreenshotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        Http?.Dispose();
        if (_farm is not null)
        {
            await _farm.DisposeAsync();
        }

        Directory.Delete(_data, recursive: true);
    }

    private static string ChromiumPath()
    {
        var path = Environment.GetEnvironmentVariable("BUILDFARM_TEST_CHROMIUM") ?? "/usr/bin/chromium";
        return File.Exists(path)
            ? path
            : throw new InvalidOperationException($"Chromium not found at {path}: scripts/test.sh installs Debian's chromium (apt-get install -y chromium), or set BUILDFARM_TEST_CHROMIUM.");
    }
}
