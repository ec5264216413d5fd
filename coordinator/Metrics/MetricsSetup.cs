using OpenTelemetry.Metrics;

namespace BuildFarm.Coordinator.Metrics;

internal static class MetricsSetup
{
    /// <summary>The farm's instruments plus ASP.NET Core's and the runtime's, for Prometheus to scrape at /metrics.</summary>
    public static IServiceCollection AddFarmMetrics(this IServiceCollection services)
    {
        services.AddSingleton<FarmMetrics>();
        services.AddSingleton<Persistence.Commits.ICommitObserver, MetricsCommitObserver>();
        services.AddHostedService<FarmGaugeSampler>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(FarmMetrics.MeterName)
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter());
        return services;
    }
}
