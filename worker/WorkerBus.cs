using BuildFarm.Worker.Deploy;
using BuildFarm.Worker.Jobs;
using BuildFarm.Worker.Options;
using MassTransit;

namespace BuildFarm.Worker;

/// <summary>The worker's consumers, and its own bus when it runs as a separate process.</summary>
public static class WorkerBus
{
    /// <summary>Registers the worker's consumers on a bus (the embedded farm adds them to the coordinator's).</summary>
    public static void AddWorkerConsumers(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<RunJobConsumer, RunJobConsumerDefinition>();
        bus.AddConsumer<AssignedRunJobConsumer, AssignedRunJobConsumerDefinition>();
        bus.AddConsumer<CancelJobConsumer, CancelJobConsumerDefinition>();
    }

    /// <param name="services">The host's services.</param>
    /// <param name="options">Transport settings.</param>
    /// <param name="agent">True in the deploy agent role: only DeployRevision is consumed, on the agent's own queue.</param>
    public static IServiceCollection AddWorkerBus(this IServiceCollection services, WorkerMessagingOptions options, bool agent = false)
    {
        services.AddMassTransit(x =>
        {
            // MassTransit reports usage to usage-tracking.masstransit.io by default: a self-hosted farm calls no one home.
            x.DisableUsageTelemetry();
            x.SetKebabCaseEndpointNameFormatter();
            if (agent)
            {
                x.AddConsumer<DeployRevisionConsumer, DeployRevisionConsumerDefinition>();
            }
            else
            {
                AddWorkerConsumers(x);
            }
            if (options.Transport == "InMemory")
            {
                x.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
            }
            else
            {
                x.UsingRabbitMq((context, cfg) =>
                {
                    cfg.Host(options.RabbitMqUri!);
                    cfg.ConfigureEndpoints(context);
                });
            }
        });
        return services;
    }
}
