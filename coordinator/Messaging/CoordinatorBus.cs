using BuildFarm.Coordinator.Messaging.Consumers;
using BuildFarm.Coordinator.Notifications.Consumers;
using BuildFarm.Coordinator.Options;
using MassTransit;

namespace BuildFarm.Coordinator.Messaging;

/// <summary>
/// The one MassTransit registration of a process. The embedded farm passes the worker's consumers
/// in addMore, because a process has one bus.
/// </summary>
public static class CoordinatorBus
{
    public static IServiceCollection AddCoordinatorBus(this IServiceCollection services, MessagingOptions options, Action<IBusRegistrationConfigurator>? addMore)
    {
        services.AddMassTransit(x =>
        {
            // MassTransit reports usage to usage-tracking.masstransit.io by default: a self-hosted farm calls no one home.
            x.DisableUsageTelemetry();
            x.SetKebabCaseEndpointNameFormatter();
            x.AddConsumer<TriggerRunConsumer>();
            x.AddConsumer<PhaseCompletedConsumer>();
            x.AddConsumer<JobCompletedConsumer>();
            x.AddConsumer<RunStartedConsumer>();
            x.AddConsumer<RunCompletedConsumer>();
            x.AddConsumer<StageStateChangedConsumer>();
            x.AddConsumer<ActionStateChangedConsumer>();
            x.AddConsumer<ApprovalNeededConsumer>();
            x.AddConsumer<Runs.Pipelines.ExecutionGateConsumer>();
            x.AddConsumer<Runs.Pipelines.DeployActionStartConsumer>();
            addMore?.Invoke(x);
            if (options.Transport == "InMemory")
            {
                x.UsingInMemory((context, cfg) =>
                {
                    cfg.UseMessageRetry(DatabaseRetry.Configure);
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                x.UsingRabbitMq((context, cfg) =>
                {
                    cfg.Host(options.RabbitMqUri!);
                    cfg.UseMessageRetry(DatabaseRetry.Configure);
                    cfg.ConfigureEndpoints(context);
                });
            }
        });
        return services;
    }
}
