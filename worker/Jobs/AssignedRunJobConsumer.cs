using BuildFarm.Contracts.Commands;
using MassTransit;

namespace BuildFarm.Worker.Jobs;

/// <summary>RunJob from this worker's own queue: a job that needs labels, which the coordinator sent to this worker.</summary>
public sealed class AssignedRunJobConsumer(JobIntake intake) : IConsumer<RunJob>
{
    public Task Consume(ConsumeContext<RunJob> context) => intake.TakeAsync(context, assigned: true);
}
