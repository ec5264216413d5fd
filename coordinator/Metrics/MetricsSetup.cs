using OpenTelemetry.Metrics;

namespace BuildFarm.Coordinator.Metrics;

internal static class MetricsSetup
{
    internal const string KestrelMemoryPoolMeter = "Microsoft.AspNetCore.MemoryPool";

    /// <summary>The farm's instruments plus ASP.NET Core's and the runtime's, for Prometheus to scrape at /metrics.</summary>
    public static IServiceCollection AddFarmMetrics(this IServiceCollection services)
    {
        services.AddSingleton<FarmMetrics>();
        services.AddSingleton<Persistence.Commits.ICommitObserver, MetricsCommitObserver>();
        services.AddHostedService<FarmGaugeSampler>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(FarmMetrics.MeterName)
            .AddAspNetCoreInstrumentation()
            // Kestrel's memory pool records a measurement for every 4 KiB block it rents and returns, and the
            // instrumentation above subscribes to it: a worker streaming a 100 MB log costs tens of thousands of
            // them, about 5% of the farm's CPU samples in a profile of the log bench (2026-12-07). A dropped
            // instrument is never enabled, so Kestrel skips the recording.
            .AddView(instrument => instrument.Meter.Name == KestrelMemoryPoolMeter ? MetricStreamConfiguration.Drop : null)
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter());
        return services;
    }
}
