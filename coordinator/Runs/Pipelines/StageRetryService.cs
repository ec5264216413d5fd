using BuildFarm.Coordinator.Errors;
using BuildFarm.Coordinator.Messaging.Outbox;
using BuildFarm.Coordinator.Persistence;
using BuildFarm.Coordinator.Persistence.Entities;
using BuildFarm.Core.Runs;
using Microsoft.EntityFrameworkCore;

namespace BuildFarm.Coordinator.Runs.Pipelines;

/// <summary>
/// Retries a failed stage within the same execution (CodePipeline's RetryStageExecution): its failed actions, or all
/// of them, get a new attempt and wait again; the run is running again from that stage, and later stages follow as usual.
/// </summary>
public sealed class StageRetryService(BuildFarmDbContext db, PipelineAdvancer advancer, RunCompletion completion, OutboxSignal signal, ExecutionGate gate)
{
    public async Task RetryAsync(Guid runId, string stage, bool allActions, CancellationToken cancellationToken)
    {
        var run = await db.Runs.Include(r => r.Jobs).FirstOrDefaultAsync(r => r.Id == runId, cancellationToken)
            ?? throw new NotFoundException("Run", runId.ToString());
        var stageJobs = run.Jobs.Where(j => j.StageName == stage).ToList();
        if (stageJobs.Count == 0)
        {
            throw new NotFoundException("Stage", $"{runId}/{stage}");
        }
        if (run.Status is not (RunStatus.Failed or RunStatus.Cancelled))
        {
            throw new ConflictException($"Run {runId} is {run.Status}: only a failed or cancelled execution's stage can be retried.");
        }
        if (!stageJobs.Any(j => j.Status is RunStatus.Failed or RunStatus.Cancelled))
        {
            throw new ConflictException($"Stage '{stage}' has no failed or cancelled action to retry.");
        }

        var version = await db.PipelineVersions.AsNoTracking().FirstAsync(v => v.Id == run.PipelineVersionId, cancellationToken);
        var definition = PipelineRunPlanner.Read(version);
        if (ExecutionGate.Holds(definition) && await gate.OccupantAsync(run.PipelineId, stage, run.Id, cancellationToken) is { } occupant)
        {
            throw new ConflictException($"Stage '{stage}' holds execution {occupant} ({definition!.ExecutionMode} mode: one execution per stage); retry once it has left the stage.");
        }

        var stageIndex = stageJobs[0].StageIndex;
        foreach (var job in run.Jobs.Where(j => j.StageIndex >= stageIndex))
        {
            // The retried stage: its failed actions (or all); later stages: what a cancel ended before it started.
            var again = job.StageIndex == stageIndex
                ? allActions || job.Status != RunStatus.Succeeded
                : job.Status is RunStatus.Cancelled;
            if (again)
            {
                Reset(job);
            }
        }
        run.FinishedAt = null;
        run.Reason = null;
        advancer.DispatchReady(db, run, definition);
        completion.UpdateRun(db, run, null);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ConflictException($"Run {runId} changed while its stage '{stage}' was being retried; try again.");
        }
        signal.Notify();
        if (ExecutionGate.Holds(definition))
        {
            // A retried stage whose every action starts again is entered through the gate, like any stage.
            await gate.AdmitAsync(run.PipelineId, cancellationToken);
        }
    }

    private static void Reset(Job job)
    {
        // A new attempt id: whatever the old attempt still reports is ignored as stale.
        job.Status = RunStatus.Waiting;
        job.AttemptId = Guid.NewGuid();
        job.Attempt++;
        job.WorkerId = null;
        job.LeaseExpiresAt = null;
        job.ExitCode = null;
        job.Reason = null;
        job.StartedAt = null;
        job.FinishedAt = null;
        job.Revision++;
    }
}
