using BuildFarm.Storage.Artifacts;
using BuildFarm.Storage.Caching;
using BuildFarm.Worker.Artifacts;
using BuildFarm.Worker.Caching;
using BuildFarm.Worker.Coordinator;
using BuildFarm.Worker.Deploy;
using BuildFarm.Worker.Jobs;
using BuildFarm.Worker.Options;
using Microsoft.Extensions.Options;

namespace BuildFarm.Worker;

/// <summary>The one place that wires the worker.</summary>
public static class WorkerHost
{
    /// <param name="builder">The host being built.</param>
    /// <param name="withOwnBus">False in the embedded farm, whose one bus the coordinator registers (with <see cref="WorkerBus.AddWorkerConsumers"/>).</param>
    public static IHostApplicationBuilder AddWorker(this IHostApplicationBuilder builder, bool withOwnBus = true)
    {
        var services = builder.Services;
        services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<WorkerMessagingOptions>().BindConfiguration(WorkerMessagingOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => o.Transport != "RabbitMq" || o.RabbitMqUri is not null, "Messaging:RabbitMqUri is required when Messaging:Transport is RabbitMq.")
            .ValidateOnStart();
        services.AddOptions<LogOptions>().BindConfiguration(LogOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<WorkerGatewayClient>();
        if (builder.Configuration[$"{WorkerOptions.SectionName}:Role"] == "Agent")
        {
            return builder.AddDeployAgent(withOwnBus);
        }

        services.AddSingleton<WorkerSlots>();
        services.AddScoped<JobIntake>();
        services.AddSingleton<RunningJobs>();
        services.AddSingleton<JobExecutor>();
        services.AddArtifactStore();
        services.AddSingleton<ArtifactPackager>();
        services.AddSingleton<ArtifactPublisher>();
        services.AddSingleton<Pipelines.ArtifactTransfer>();
        services.AddSingleton<Pipelines.PipelineActionRunner>();
        services.AddCacheStore();
        services.AddMetrics();
        services.AddSingleton<CacheMetrics>();
        services.AddSingleton<IDependencyCache>(sp =>
        {
            var cache = sp.GetRequiredService<IOptions<CacheOptions>>().Value;
            return new DependencyCache(
                sp.GetRequiredService<ICacheStore>(),
                new LocalBlobCache(cache.LocalRoot),
                cache,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<DependencyCache>>(),
                sp.GetRequiredService<CacheMetrics>());
        });
        services.AddSingleton<JobCache>();
        services.AddHostedService<HeartbeatService>();
        if (withOwnBus)
        {
            var messaging = builder.Configuration.GetSection(WorkerMessagingOptions.SectionName).Get<WorkerMessagingOptions>() ?? new WorkerMessagingOptions();
            services.AddWorkerBus(messaging);
        }

        // The host cancels shutdown after 30 s by default, which would cut a longer drain short.
        services.AddOptions<HostOptions>().Configure<IOptions<WorkerOptions>>((host, worker) =>
            host.ShutdownTimeout = TimeSpan.FromSeconds(worker.Value.DrainSeconds + worker.Value.CancelGraceSeconds + 15));

        // After the bus, so that on shutdown it stops first and results can still be published.
        services.AddSingleton<JobDrain>();
        services.AddHostedService(sp => sp.GetRequiredService<JobDrain>());
        return builder;
    }

    /// <summary>The deploy agent role: registration and heartbeats, the agent's own queue, and the lifecycle executor.</summary>
    private static IHostApplicationBuilder AddDeployAgent(this IHostApplicationBuilder builder, bool withOwnBus)
    {
        var services = builder.Services;
        services.AddOptions<AgentOptions>().BindConfiguration(AgentOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new HostPaths(sp.GetRequiredService<IOptions<AgentOptions>>().Value.Root));
        services.AddSingleton(sp => new AgentState(sp.GetRequiredService<HostPaths>().Map(sp.GetRequiredService<IOptions<AgentOptions>>().Value.StateDirectory)));
        services.AddSingleton<AgentStatus>();
        services.AddArtifactStore();
        services.AddSingleton<IRevisionSource, ArtifactRevisionSource>();
        services.AddSingleton(sp => new DeploymentExecutor(
            sp.GetRequiredService<HostPaths>(),
            sp.GetRequiredService<AgentState>(),
            sp.GetRequiredService<IRevisionSource>(),
            sp.GetRequiredService<TimeProvider>(),
            TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<AgentOptions>>().Value.HookKillGraceSeconds)));
        services.AddSingleton<AgentDeploymentRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<AgentDeploymentRunner>());
        services.AddHostedService<AgentConnectionService>();
        if (withOwnBus)
        {
            var messaging = builder.Configuration.GetSection(WorkerMessagingOptions.SectionName).Get<WorkerMessagingOptions>() ?? new WorkerMessagingOptions();
            services.AddWorkerBus(messaging, agent: true);
        }
        return builder;
    }
}
