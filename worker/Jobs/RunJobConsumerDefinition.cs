using BuildFarm.Worker.Options;
using MassTransit;
using Microsoft.Extensions.Options;

namespace BuildFarm.Worker.Jobs;

/// <summary>
/// Takes RunJob from the shared queue, with concurrency and prefetch equal to the slots, so a
/// worker never hoards deliveries another worker could run.
/// </summary>
public sealed class RunJobConsumerDefinition : ConsumerDefinition<RunJobConsumer>
{
    private readonly int _slots;

    public RunJobConsumerDefinition(IOptions<WorkerOptions> worker, IOptions<WorkerMessagingOptions> messaging)
    {
        _slots = worker.Value.Slots;
        EndpointName = messaging.Value.RunJobQueue;
        ConcurrentMessageLimit = _slots;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<RunJobConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        ConfigureIntake(endpointConfigurator, _slots);
    }

    /// <summary>What both RunJob queues (shared and own) need: slot-sized prefetch, and claim calls retried.</summary>
    internal static void ConfigureIntake(IReceiveEndpointConfigurator endpoint, int slots)
    {
        endpoint.PrefetchCount = slots;
        // A failed claim call (coordinator restarting) is retried before the message goes back.
        endpoint.UseMessageRetry(r => r.Exponential(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(500)));
    }
}
