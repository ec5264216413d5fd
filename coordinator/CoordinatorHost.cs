using System.Net;
using BuildFarm.Coordinator.Api;
using BuildFarm.Coordinator.Artifacts;
using BuildFarm.Coordinator.Auth;
using BuildFarm.Coordinator.Caching;
using BuildFarm.Coordinator.Dashboard;
using BuildFarm.Coordinator.Deployments;
using BuildFarm.Coordinator.Grpc;
using BuildFarm.Coordinator.Grpc.Interceptors;
using BuildFarm.Coordinator.Logs;
using BuildFarm.Coordinator.Messaging;
using BuildFarm.Coordinator.Messaging.Outbox;
using BuildFarm.Coordinator.Metrics;
using BuildFarm.Coordinator.Notifications;
using BuildFarm.Coordinator.Options;
using BuildFarm.Coordinator.Persistence;
using BuildFarm.Coordinator.Persistence.Commits;
using BuildFarm.Coordinator.Persistence.Postgres;
using BuildFarm.Coordinator.Persistence.Sqlite;
using BuildFarm.Coordinator.Pipelines;
using BuildFarm.Coordinator.Runs;
using BuildFarm.Coordinator.Runs.Scheduling;
using BuildFarm.Coordinator.Secrets;
using BuildFarm.Coordinator.Triggers;
using BuildFarm.Storage.Artifacts;
using BuildFarm.Storage.Caching;
using MassTransit;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BuildFarm.Coordinator;

/// <summary>The one place that wires the coordinator.</summary>
public static class CoordinatorHost
{
    /// <param name="builder">The web application being built.</param>
    /// <param name="addMoreConsumers">The embedded farm's worker consumers: a process has one bus.</param>
    public static WebApplicationBuilder AddCoordinator(this WebApplicationBuilder builder, Action<IBusRegistrationConfigurator>? addMoreConsumers = null)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddOptions<CoordinatorOptions>().BindConfiguration(CoordinatorOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<MessagingOptions>().BindConfiguration(MessagingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<MessagingOptions>, MessagingOptionsValidator>();
        services.AddOptions<SchedulingOptions>().BindConfiguration(SchedulingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SecretsOptions>().BindConfiguration(SecretsOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SecretsOptions>, SecretsOptionsValidator>();
        services.AddOptions<LogOptions>().BindConfiguration(LogOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DeploymentOptions>().BindConfiguration(DeploymentOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<GitHubOptions>().BindConfiguration(GitHubOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<GitHubOptions>, GitHubOptionsValidator>();
        services.AddOptions<ScheduleOptions>().BindConfiguration(ScheduleOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddTokenAuth();
        services.AddFarmMetrics();

        var coordinator = configuration.GetSection(CoordinatorOptions.SectionName).Get<CoordinatorOptions>() ?? new CoordinatorOptions();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(ToEndPoint(coordinator.HttpUrl), o => o.Protocols = HttpProtocols.Http1);
            kestrel.Listen(ToEndPoint(coordinator.GrpcUrl), o => o.Protocols = HttpProtocols.Http2);
            // A worker with a backlog sends its log in 1 MiB messages. Kestrel's default stream window
            // (768 KiB) is smaller than one of them, so none could go out whole without waiting for a
            // WINDOW_UPDATE; room for two messages per stream (and a few streams per connection) lets the
            // upload flow. It is the most a stream may buffer here, and the worker bounds its bytes in flight anyway.
            kestrel.Limits.Http2.InitialStreamWindowSize = 2 * 1024 * 1024;
            kestrel.Limits.Http2.InitialConnectionWindowSize = 8 * 1024 * 1024;
        });

        var database = configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        // The migrator is registered first so it runs before the bus and the dispatcher start.
        services.AddHostedService<DatabaseMigrator>();
        if (database.Provider == "Sqlite")
        {
            services.AddDbContextPool<BuildFarmDbContext, SqliteBuildFarmDbContext>((sp, o) => o.UseSqlite(database.ConnectionString)
                .ConfigureWarnings(DatabaseFailureLogging.Configure)
                .AddInterceptors(new SqliteBusyTimeoutInterceptor(), sp.GetRequiredService<AfterCommitInterceptor>()));
        }
        else
        {
            services.AddDbContextPool<BuildFarmDbContext, PostgresBuildFarmDbContext>((sp, o) => o.UseNpgsql(PostgresConnectionString.WithDefaults(database.ConnectionString))
                .ConfigureWarnings(DatabaseFailureLogging.Configure)
                .AddInterceptors(sp.GetRequiredService<AfterCommitInterceptor>()));
        }

        var messaging = configuration.GetSection(MessagingOptions.SectionName).Get<MessagingOptions>() ?? new MessagingOptions();
        services.AddCoordinatorBus(messaging, addMoreConsumers);

        services.AddSingleton<OutboxWriter>();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
        services.AddSingleton<LeaseSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<LeaseSweeper>());
        services.AddScoped<BuildFarm.Coordinator.Runs.Pipelines.ApprovalService>();
        services.AddScoped<BuildFarm.Coordinator.Runs.Pipelines.StageRetryService>();
        services.AddHostedService<BuildFarm.Coordinator.Runs.Pipelines.ApprovalTimeoutSweeper>();
        services.AddSingleton<BuildFarm.Coordinator.Runs.Pipelines.DeployActionCompletion>();
        services.AddScoped<BuildFarm.Coordinator.Runs.Pipelines.DeployActionStarter>();
        services.AddHostedService<BuildFarm.Coordinator.Runs.Pipelines.DeployActionSweeper>();
        services.AddSingleton<BuildFarm.Coordinator.Runs.Pipelines.ExecutionGateLocks>();
        services.AddScoped<BuildFarm.Coordinator.Runs.Pipelines.ExecutionGate>();
        services.AddScoped<BuildFarm.Coordinator.Runs.Pipelines.ExecutionStopService>();
        services.AddHostedService<BuildFarm.Coordinator.Runs.Pipelines.ExecutionGateSweeper>();
        services.AddSingleton<JobDispatcher>();
        services.AddSingleton<LabelledJobSignal>();
        services.AddSingleton<ICommitObserver, LabelledJobCommitObserver>();
        services.AddSingleton<AfterCommitInterceptor>();
        services.AddSingleton<LabelledJobAssigner>();
        services.AddHostedService(sp => sp.GetRequiredService<LabelledJobAssigner>());
        services.AddSingleton<QueuedTimeoutSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<QueuedTimeoutSweeper>());
        services.AddSingleton<LogHub>();
        services.AddSingleton<LogRetention>();
        services.AddHostedService(sp => sp.GetRequiredService<LogRetention>());
        services.AddSingleton<RunCompletion>();
        services.AddSingleton<BuildFarm.Coordinator.Runs.Batches.BatchAdvancer>();
        services.AddSingleton<BuildFarm.Coordinator.Runs.Pipelines.PipelineAdvancer>();
        services.AddScoped<PipelineService>();
        services.AddScoped<RunService>();
        services.AddScoped<JobProgress>();
        services.AddScoped<JobClaimService>();
        services.AddScoped<WorkerHeartbeats>();
        services.AddScoped<WorkerRoster>();
        services.AddScoped<LogStore>();
        services.AddScoped<LogIngest>();
        services.AddScoped<LogFollower>();
        services.AddScoped<RunLogs>();
        services.AddArtifactStore();
        services.AddScoped<RunArtifacts>();
        // The workers' dependency cache, from the same Cache:* settings, so its entries can be listed and purged here.
        services.AddCacheStore();
        services.AddSingleton<CacheEntries>();
        services.AddScoped<SecretStore>();
        services.AddScoped<JobSecrets>();
        services.AddScoped<DeploymentLock>();
        services.AddScoped<AgentRegistry>();
        services.AddScoped<DeploymentCatalog>();
        services.AddScoped<DeploymentService>();
        services.AddSingleton<DeploymentSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<DeploymentSweeper>());
        services.AddSingleton<PipelineEdgesCache>();
        services.AddScoped<PipelineEdgesLookup>();
        services.AddScoped<NotificationPlanner>();
        services.AddHttpClient(NotificationSender.HttpClientName);
        services.AddSingleton<NotificationSender>();
        services.AddHostedService(sp => sp.GetRequiredService<NotificationSender>());
        services.AddSingleton<PipelineScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<PipelineScheduler>());

        services.AddGrpc(o =>
        {
            o.Interceptors.Add<ErrorMappingInterceptor>();
            o.MaxReceiveMessageSize = 16 * 1024 * 1024;
        });
        services.AddGrpcReflection();
        // grpc.health.v1 for load balancers and grpcurl, backed by the same database check as /readyz.
        services.AddGrpcHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        services.AddOpenApi();
        return builder;
    }

    public static WebApplication MapCoordinator(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseHttpBodyLimit();
        // The dashboard's files are public (it is the sign-in page too); every API call it makes is authorised.
        app.UseDashboard();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGrpcService<PipelineGrpcService>();
        app.MapGrpcService<RunGrpcService>();
        app.MapGrpcService<LogGrpcService>();
        app.MapGrpcService<WorkerGatewayGrpcService>();
        app.MapGrpcService<DeployAgentGatewayGrpcService>();
        app.MapGrpcService<TokenGrpcService>();
        app.MapGrpcService<ArtifactGrpcService>();
        app.MapGrpcService<WorkerGrpcService>();
        app.MapGrpcService<DeploymentGrpcService>();
        app.MapGrpcService<ExecutionGrpcService>();
        app.MapGrpcService<CacheGrpcService>();
        app.MapGrpcService<ApprovalGrpcService>();
        // Discovery and health are open: tools and load balancers call them without a token.
        app.MapGrpcReflectionService().AllowAnonymous();
        app.MapGrpcHealthChecksService().AllowAnonymous();
        app.MapOpenApi().AllowAnonymous();
        app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
        app.MapGet("/healthz", () => TypedResults.Ok("ok")).ExcludeFromDescription().AllowAnonymous();
        app.MapHealthChecks("/readyz").ExcludeFromDescription().AllowAnonymous();
        app.MapPipelinesEndpoints();
        app.MapPipelineStagesEndpoints();
        app.MapRunsEndpoints();
        app.MapApprovalsEndpoints();
        app.MapStageRetryEndpoints();
        app.MapExecutionsEndpoints();
        app.MapLogsEndpoints();
        app.MapSecretsEndpoints();
        app.MapWebhooksEndpoints();
        app.MapTokensEndpoints();
        app.MapRunSummariesEndpoints();
        app.MapWorkersEndpoints();
        app.MapArtifactsEndpoints();
        app.MapCallerEndpoints();
        app.MapDeploymentsEndpoints();
        app.MapNotificationsEndpoints();
        app.MapCacheEndpoints();
        return app;
    }

    private static IPEndPoint ToEndPoint(string url)
    {
        var uri = new Uri(url);
        var address = uri.Host is "*" or "+" or "0.0.0.0" ? IPAddress.Any
            : uri.Host == "localhost" ? IPAddress.Loopback
            : IPAddress.Parse(uri.Host);
        return new IPEndPoint(address, uri.Port);
    }
}
