using BuildFarm.Contracts.Commands;
using MassTransit;

namespace BuildFarm.Worker.Jobs;

/// <summary>RunJob from the shared queue: jobs any worker may run.</summary>
public sealed class RunJobConsumer(JobIntake intake) : IConsumer<RunJob>
{
    public Task Consume(ConsumeContext<RunJob> context) => intake.TakeAsync(context, assigned: false);
}
