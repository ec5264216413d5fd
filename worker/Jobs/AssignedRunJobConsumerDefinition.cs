using BuildFarm.Core.Runs;
using BuildFarm.Worker.Options;
using MassTransit;
using Microsoft.Extensions.Options;

namespace BuildFarm.Worker.Jobs;

/// <summary>
/// Takes RunJob from this worker's own queue (<see cref="WorkerQueue"/>), with the same slot-sized concurrency and
/// prefetch as the shared queue; both feed one set of slots.
/// </summary>
public sealed class AssignedRunJobConsumerDefinition : ConsumerDefinition<AssignedRunJobConsumer>
{
    private readonly int _slots;

    public AssignedRunJobConsumerDefinition(IOptions<WorkerOptions> worker)
    {
        _slots = worker.Value.Slots;
        EndpointName = WorkerQueue.For(worker.Value.Id);
        ConcurrentMessageLimit = _slots;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<AssignedRunJobConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        RunJobConsumerDefinition.ConfigureIntake(endpointConfigurator, _slots);
    }
}
