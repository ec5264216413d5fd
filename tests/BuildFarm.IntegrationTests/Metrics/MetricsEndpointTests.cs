using System.Globalization;
using System.Text.RegularExpressions;
using BuildFarm.IntegrationTests.Fixtures;
using BuildFarm.IntegrationTests.Runs;
using BuildFarm.Protos.V1;

namespace BuildFarm.IntegrationTests.Metrics;

/// <summary>/metrics as Prometheus scrapes it: no token, the farm's own series moving with real runs.</summary>
public sealed class MetricsEndpointTests(FarmFixture farm) : IClassFixture<FarmFixture>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Runs_jobs_logs_and_the_outbox_show_up_in_the_prometheus_scrape()
    {
        await farm.Client.ApplyPipelineAsync("metrics-ok", "version: 0.2\nphases:\n  build:\n    commands:\n      - echo counted\n", cancellationToken: Wait.Up(Limit));
        await farm.Client.ApplyPipelineAsync("metrics-bad", "version: 0.2\nphases:\n  build:\n    commands:\n      - exit 3\n", cancellationToken: Wait.Up(Limit));
        var ok = await farm.Client.TriggerRunAsync("metrics-ok", cancellationToken: Wait.Up(Limit));
        var bad = await farm.Client.TriggerRunAsync("metrics-bad", cancellationToken: Wait.Up(Limit));
        Assert.Equal(RunStatus.Succeeded, (await farm.Client.WaitForRunAsync(ok.Id, TimeSpan.FromMilliseconds(50), Wait.Up(Limit))).Status);
        Assert.Equal(RunStatus.Failed, (await farm.Client.WaitForRunAsync(bad.Id, TimeSpan.FromMilliseconds(50), Wait.Up(Limit))).Status);

        // Unauthenticated on purpose: scrapers are configured with a URL, like /healthz.
        using var scraper = new HttpClient { BaseAddress = farm.HttpUrl };
        string text = "";
        await Wait.UntilAsync(
            async () =>
            {
                text = await scraper.GetStringAsync("/metrics", Wait.Up(Limit));
                return Value(text, "buildfarm_runs_completed_total", "status=\"Failed\"") >= 1 && text.Contains("buildfarm_jobs_queued", StringComparison.Ordinal);
            },
            TimeSpan.FromSeconds(30),
            "the runs to be counted");

        Assert.True(Value(text, "buildfarm_runs_triggered_total") >= 2, text);
        Assert.True(Value(text, "buildfarm_runs_completed_total", "status=\"Succeeded\"") >= 1, text);
        Assert.True(Value(text, "buildfarm_job_duration_seconds_count", "status=\"Failed\"") >= 1, text);
        Assert.True(Value(text, "buildfarm_log_bytes") > 0, text);
        Assert.True(Value(text, "buildfarm_outbox_lag_seconds_count") >= 2, text);
        Assert.Contains("buildfarm_workers_live", text, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds", text, StringComparison.Ordinal);
    }

    /// <summary>The first sample of a series whose name starts with <paramref name="name"/> and whose labels contain <paramref name="label"/>.</summary>
    private static double Value(string text, string name, string label = "")
    {
        foreach (Match line in Regex.Matches(text, $@"^{Regex.Escape(name)}\w*(\{{[^}}]*\}})? (\S+)", RegexOptions.Multiline))
        {
            if (line.Groups[1].Value.Contains(label, StringComparison.Ordinal))
            {
                return double.Parse(line.Groups[2].Value, CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }
}
