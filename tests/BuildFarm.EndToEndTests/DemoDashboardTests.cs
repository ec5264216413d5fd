using System.Diagnostics;
using System.Text.RegularExpressions;

namespace BuildFarm.EndToEndTests;

/// <summary>`./buildfarm demo --keep`: the run, then the embedded farm stays up serving its dashboard until SIGTERM.</summary>
[Collection(CliCollection.Name)]
public sealed partial class DemoDashboardTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);
    private readonly string _home = Directory.CreateTempSubdirectory("bf-e2e-keep-").FullName;

    [Fact]
    public async Task Demo_keep_prints_the_dashboard_url_and_serves_it_until_terminated()
    {
        var start = new ProcessStartInfo(Path.Combine(Launcher.RepositoryRoot, "buildfarm"))
        {
            WorkingDirectory = Launcher.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add("demo");
        start.ArgumentList.Add("--keep");
        start.Environment["BUILDFARM_HOME"] = _home;
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        try
        {
            using var timeout = new CancellationTokenSource(Limit);
            string? url = null;
            while (url is null && await process.StandardError.ReadLineAsync(timeout.Token) is { } line)
            {
                url = StaysUp().Match(line) is { Success: true } m ? m.Groups[1].Value : null;
            }

            Assert.NotNull(url);
            using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
            var page = await http.GetStringAsync("/", timeout.Token);
            Assert.Contains("<script type=\"module\" src=\"js/app.js\"></script>", page, StringComparison.Ordinal);
            var runs = await http.GetStringAsync("/api/run-summaries?pipeline=demo", timeout.Token);
            Assert.Contains("\"status\":\"Succeeded\"", runs, StringComparison.Ordinal);
            Assert.False(process.HasExited, "the farm must stay up after the run with --keep");

            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync(timeout.Token);
            }

            await process.WaitForExitAsync(timeout.Token);
            Assert.Equal(0, process.ExitCode);
            Assert.Contains("SUCCEEDED", await stdout, StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [GeneratedRegex(@"stays up: dashboard at (http://127\.0\.0\.1:\d+/)")]
    private static partial Regex StaysUp();

    public void Dispose() => Directory.Delete(_home, recursive: true);
}
