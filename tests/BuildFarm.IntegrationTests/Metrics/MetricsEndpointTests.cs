using System.Globalization;
using System.Text.RegularExpressions;
using BuildFarm.IntegrationTests.Fixtures;
using BuildFarm.IntegrationTests.Runs;
using BuildFarm.Protos.V1;

namespace BuildFarm.IntegrationTests.Metrics;

/// <summary>/metrics as Prometheus scrapes it: no token, the farm's own series moving with real runs.</summary>
[Collection(MetricsCollection.Name)]
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
        // Dropped on purpose: per-block measurements cost the log path CPU (MetricsSetup).
        Assert.DoesNotContain("aspnetcore_memory_pool", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_jobs_cache_restore_is_counted_by_outcome_and_gives_the_hit_ratio()
    {
        await farm.Client.ApplyPipelineAsync("metrics-cache", """
            version: 0.2
            phases:
              build:
                commands:
                  - mkdir -p ~/.deps && echo "dep $DEPS" > ~/.deps/dep.txt
            cache:
              key: metrics-$DEPS
              fallback-keys:
                - metrics-
              paths:
                - /root/.deps/**/*
            """, cancellationToken: Wait.Up(Limit));
        using var scraper = new HttpClient { BaseAddress = farm.HttpUrl };
        var before = await scraper.GetStringAsync("/metrics", Wait.Up(Limit));

        // A miss that saves, a hit of that very key, then a new key that falls back to it.
        foreach (var (deps, outcome) in new[] { ("1", "miss"), ("1", "hit"), ("2", "fallback hit") })
        {
            var run = await farm.Client.TriggerRunAsync("metrics-cache", new Dictionary<string, string> { ["DEPS"] = deps }, cancellationToken: Wait.Up(Limit));
            Assert.Equal(RunStatus.Succeeded, (await farm.Client.WaitForRunAsync(run.Id, TimeSpan.FromMilliseconds(50), Wait.Up(Limit))).Status);
            Assert.Contains($"cache key metrics-{deps}: {outcome}", System.Text.Encoding.UTF8.GetString(await farm.Client.GetLogAsync(run.Id, Wait.Up(Limit))), StringComparison.Ordinal);
        }

        // A run without a cache section restores nothing and is not counted.
        await farm.Client.ApplyPipelineAsync("metrics-no-cache", "version: 0.2\nphases:\n  build:\n    commands:\n      - true\n", cancellationToken: Wait.Up(Limit));
        var plain = await farm.Client.TriggerRunAsync("metrics-no-cache", cancellationToken: Wait.Up(Limit));
        Assert.Equal(RunStatus.Succeeded, (await farm.Client.WaitForRunAsync(plain.Id, TimeSpan.FromMilliseconds(50), Wait.Up(Limit))).Status);

        string text = "";
        await Wait.UntilAsync(
            async () =>
            {
                text = await scraper.GetStringAsync("/metrics", Wait.Up(Limit));
                return Restores(text, "miss") - Restores(before, "miss") >= 1 && Restores(text, "hit") - Restores(before, "hit") >= 1
                    && Restores(text, "fallback_hit") - Restores(before, "fallback_hit") >= 1;
            },
            TimeSpan.FromSeconds(30),
            "the cache restores to be counted");

        Assert.Equal(1, Restores(text, "miss") - Restores(before, "miss"));
        Assert.Equal(1, Restores(text, "hit") - Restores(before, "hit"));
        Assert.Equal(1, Restores(text, "fallback_hit") - Restores(before, "fallback_hit"));
        // Since this coordinator started only these three restores happened: two of three found an entry.
        Assert.Equal(2.0 / 3, Value(text, "buildfarm_cache_hit_ratio"), 6);
    }

    private static double Restores(string text, string outcome) => Math.Max(0, Value(text, "buildfarm_cache_restores_total", $"outcome=\"{outcome}\""));

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
