using BuildFarm.Contracts.Events;
using BuildFarm.Coordinator.Persistence;
using BuildFarm.Core.Runs;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace BuildFarm.Coordinator.Runs.Pipelines;

/// <summary>
/// Starts a deploy action's deployment as soon as its STARTED event arrives, rather than at the sweeper's next tick
/// (<see cref="DeployActionSweeper"/> stays the net for a missed event).
/// </summary>
public sealed class DeployActionStartConsumer(BuildFarmDbContext db, DeployActionStarter starter) : IConsumer<ActionStateChanged>
{
    private const int BatchSize = 50;

    public async Task Consume(ConsumeContext<ActionStateChanged> context)
    {
        var message = context.Message;
        if (message.State != PipelineStates.Started
            || !await db.Jobs.AsNoTracking().AnyAsync(j => j.RunId == message.RunId && j.Name == message.Action && j.Category == "deploy"
                && j.Status == RunStatus.Running && j.Reason == null, context.CancellationToken))
        {
            return;
        }
        await starter.StartPendingAsync(BatchSize, context.CancellationToken);
    }
}
