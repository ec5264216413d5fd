using BuildFarm.Contracts.Events;
using BuildFarm.Coordinator.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace BuildFarm.Coordinator.Runs.Pipelines;

/// <summary>
/// Runs the execution gate's pass for the pipeline whose run was queued, left or entered a stage, or finished: the
/// moments a stage frees up or an execution starts waiting in front of one. <see cref="ExecutionGateSweeper"/> is the net
/// for a missed event.
/// </summary>
public sealed class ExecutionGateConsumer(BuildFarmDbContext db, ExecutionGate gate) :
    IConsumer<RunQueued>, IConsumer<StageStateChanged>, IConsumer<RunCompleted>
{
    public Task Consume(ConsumeContext<RunQueued> context) => AdmitAsync(context.Message.RunId, context.CancellationToken);

    public Task Consume(ConsumeContext<StageStateChanged> context) =>
        context.Message.State == PipelineStates.Started ? Task.CompletedTask : AdmitAsync(context.Message.RunId, context.CancellationToken);

    public Task Consume(ConsumeContext<RunCompleted> context) => AdmitAsync(context.Message.RunId, context.CancellationToken);

    private async Task AdmitAsync(Guid runId, CancellationToken cancellationToken)
    {
        // Only a run with stages enters or leaves one: a buildspec run's events (most of a busy farm's) cost this one
        // query and no pass. A pass it would have run as a side effect is the sweeper's job, as for any missed event.
        var staged = await db.Runs.AsNoTracking()
            .Where(r => r.Id == runId && db.Jobs.Any(j => j.RunId == r.Id && j.StageName != null))
            .Select(r => new { r.PipelineId })
            .FirstOrDefaultAsync(cancellationToken);
        if (staged is null || !await GatedAsync(staged.PipelineId, cancellationToken))
        {
            return;
        }
        await gate.AdmitAsync(staged.PipelineId, cancellationToken);
    }

    /// <summary>Whether any unfinished run of the pipeline has stages (a buildspec pipeline never needs a pass).</summary>
    private Task<bool> GatedAsync(Guid pipelineId, CancellationToken cancellationToken) =>
        db.Jobs.AsNoTracking().AnyAsync(j => j.StageName != null && j.Status == Core.Runs.RunStatus.Waiting
            && db.Runs.Any(r => r.Id == j.RunId && r.PipelineId == pipelineId && (r.Status == Core.Runs.RunStatus.Queued || r.Status == Core.Runs.RunStatus.Running)), cancellationToken);
}
