using BuildFarm.Contracts.Events;
using BuildFarm.Coordinator.Runs;
using MassTransit;

namespace BuildFarm.Coordinator.Messaging.Consumers;

public sealed class PhaseCompletedConsumer(JobProgress progress) : IConsumer<PhaseCompleted>
{
    public Task Consume(ConsumeContext<PhaseCompleted> context) => progress.ApplyAsync(context.Message, context.CancellationToken);
}
