using BuildFarm.Contracts.Commands;
using MassTransit;

namespace BuildFarm.Worker.Jobs;

/// <summary>Every worker hears every CancelJob on its own queue; the one running the attempt stops it.</summary>
public sealed class CancelJobConsumer(RunningJobs running) : IConsumer<CancelJob>
{
    public Task Consume(ConsumeContext<CancelJob> context)
    {
        running.Cancel(context.Message.AttemptId);
        return Task.CompletedTask;
    }
}
