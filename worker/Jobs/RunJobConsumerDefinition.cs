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
        endpointConfigurator.PrefetchCount = _slots;
        // A failed claim call (coordinator restarting) is retried before the message goes back.
        endpointConfigurator.UseMessageRetry(r => r.Exponential(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(500)));
    }
}
