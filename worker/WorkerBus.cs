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
        bus.AddConsumer<CancelJobConsumer, CancelJobConsumerDefinition>();
    }

    public static IServiceCollection AddWorkerBus(this IServiceCollection services, WorkerMessagingOptions options)
    {
        services.AddMassTransit(x =>
        {
            x.SetKebabCaseEndpointNameFormatter();
            AddWorkerConsumers(x);
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
