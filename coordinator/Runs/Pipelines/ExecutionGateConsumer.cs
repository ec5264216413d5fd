using BuildFarm.Contracts.Commands;
using BuildFarm.Contracts.Events;
using BuildFarm.Coordinator.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace BuildFarm.Coordinator.Runs.Pipelines;

/// <summary>
/// Runs the execution gate's pass for the pipeline whose run with stages was queued, left or entered a stage, or
/// finished: the moments a stage frees up or an execution starts waiting in front of one. Queued and finished runs
/// come as <see cref="AdmitExecutions"/>, which only runs with stages send, so a buildspec run (most of a busy farm's)
/// costs the gate nothing. <see cref="ExecutionGateSweeper"/> is the net for a missed event.
/// </summary>
public sealed class ExecutionGateConsumer(BuildFarmDbContext db, ExecutionGate gate) :
    IConsumer<AdmitExecutions>, IConsumer<StageStateChanged>
{
    public Task Consume(ConsumeContext<AdmitExecutions> context) => AdmitAsync(context.Message.PipelineId, context.CancellationToken);

    public async Task Consume(ConsumeContext<StageStateChanged> context)
    {
        if (context.Message.State == PipelineStates.Started)
        {
            return;
        }
        var pipelineId = await db.Runs.AsNoTracking().Where(r => r.Id == context.Message.RunId).Select(r => (Guid?)r.PipelineId)
            .FirstOrDefaultAsync(context.CancellationToken);
        if (pipelineId is { } id)
        {
            await AdmitAsync(id, context.CancellationToken);
        }
    }

    private async Task AdmitAsync(Guid pipelineId, CancellationToken cancellationToken)
    {
        if (await GatedAsync(pipelineId, cancellationToken))
        {
            await gate.AdmitAsync(pipelineId, cancellationToken);
        }
    }

    /// <summary>Whether any unfinished run of the pipeline has stages waiting (a buildspec pipeline never needs a pass).</summary>
    private Task<bool> GatedAsync(Guid pipelineId, CancellationToken cancellationToken) =>
        db.Jobs.AsNoTracking().AnyAsync(j => j.StageName != null && j.Status == Core.Runs.RunStatus.Waiting
            && db.Runs.Any(r => r.Id == j.RunId && r.PipelineId == pipelineId && (r.Status == Core.Runs.RunStatus.Queued || r.Status == Core.Runs.RunStatus.Running)), cancellationToken);
}
