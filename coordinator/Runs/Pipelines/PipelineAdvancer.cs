using BuildFarm.Contracts.Events;
using BuildFarm.Coordinator.Messaging.Outbox;
using BuildFarm.Coordinator.Persistence;
using BuildFarm.Coordinator.Persistence.Entities;
using BuildFarm.Coordinator.Runs.Scheduling;
using BuildFarm.Core.Definitions.Pipelines;
using BuildFarm.Core.Runs;

namespace BuildFarm.Coordinator.Runs.Pipelines;

/// <summary>
/// Moves a pipeline-file run on after one of its actions changed: when every action before the next
/// (stage, runOrder) group succeeded, that group's actions are dispatched; a failed or cancelled action stops the
/// run there (later actions stay Waiting). Works on the caller's tracked run and writes RunJob and the stage and
/// action events to the outbox, so they commit with the state change that caused them.
/// </summary>
public sealed class PipelineAdvancer(OutboxWriter outbox, JobDispatcher dispatcher, TimeProvider time)
{
    /// <summary>Records that <paramref name="job"/> reached its (final) status: its action event, and its stage's when the stage is done.</summary>
    public void ActionFinished(BuildFarmDbContext db, Run run, Job job)
    {
        if (job.StageName is null)
        {
            return;
        }
        // Every action result touches its run: two results of one run committed at once then conflict and one decides
        // again on fresh state (else each sees the other still running, and the run never ends).
        run.Revision++;
        var now = time.GetUtcNow();
        outbox.Publish(db, new ActionStateChanged(run.Id, run.PipelineName, run.PipelineVersion, job.StageName, job.Name,
            PipelineStates.Of(job.Status), job.Reason, run.CorrelationId, now));
        var stage = run.Jobs.Where(j => j.StageIndex == job.StageIndex).ToList();
        if (job.Status != RunStatus.Succeeded && stage.Count(j => j.Status is RunStatus.Failed or RunStatus.Cancelled or RunStatus.Superseded) == 1)
        {
            // The stage ends with its first action that did not succeed, whatever its other actions still do.
            outbox.Publish(db, new StageStateChanged(run.Id, run.PipelineName, run.PipelineVersion, job.StageName,
                PipelineStates.Of(job.Status), $"action '{job.Name}': {job.Reason ?? job.Status.ToString()}", run.CorrelationId, now));
        }
        else if (job.Status == RunStatus.Succeeded && stage.All(j => j.Status == RunStatus.Succeeded))
        {
            outbox.Publish(db, new StageStateChanged(run.Id, run.PipelineName, run.PipelineVersion, job.StageName,
                PipelineStates.Succeeded, null, run.CorrelationId, now));
        }
    }

    /// <summary>
    /// Dispatches the next group of waiting actions when everything before it succeeded; returns how many. The run's
    /// pipeline file (<paramref name="definition"/>) gives what dispatched actions announce, such as an approval's summary.
    /// In SUPERSEDED and QUEUED mode a run enters a stage only when <see cref="ExecutionGate"/> lets it in (<paramref name="admitted"/>).
    /// </summary>
    public int DispatchReady(BuildFarmDbContext db, Run run, PipelineDefinition? definition, bool admitted = false)
    {
        var actions = run.Jobs.Where(j => j.StageName is not null).ToList();
        if (actions.Count == 0 || actions.Any(j => j.Status is RunStatus.Failed or RunStatus.Cancelled or RunStatus.Cancelling or RunStatus.Superseded))
        {
            return 0;
        }
        var pending = actions.Where(j => j.Status != RunStatus.Succeeded).ToList();
        if (pending.Count == 0 || pending.Any(j => j.Status != RunStatus.Waiting))
        {
            // Done, or the current group is still going.
            return 0;
        }
        var next = pending.Min(j => (j.StageIndex, j.RunOrder));
        var group = pending.Where(j => (j.StageIndex, j.RunOrder) == next).ToList();
        var now = time.GetUtcNow();
        if (!actions.Any(j => j.StageIndex == next.StageIndex && j.Status == RunStatus.Succeeded))
        {
            if (!admitted && ExecutionGate.Holds(definition))
            {
                // Waits in front of the stage until the gate lets it in (one execution per stage).
                return 0;
            }
            outbox.Publish(db, new StageStateChanged(run.Id, run.PipelineName, run.PipelineVersion, group[0].StageName!,
                PipelineStates.Started, null, run.CorrelationId, now));
        }
        foreach (var job in group)
        {
            Dispatch(db, run, job, now, definition);
        }
        return group.Count;
    }

    private void Dispatch(BuildFarmDbContext db, Run run, Job job, DateTimeOffset now, PipelineDefinition? definition)
    {
        job.Revision++;
        if (job.Category == "approval")
        {
            // Waits for a person (ApprovalService) or its timeout; no lease, so the lease sweeper leaves it alone.
            job.Status = RunStatus.Running;
            job.StartedAt = now;
            job.LeaseExpiresAt = null;
            outbox.Publish(db, new ActionStateChanged(run.Id, run.PipelineName, run.PipelineVersion, job.StageName!, job.Name,
                PipelineStates.Started, null, run.CorrelationId, now));
            outbox.Publish(db, new ApprovalNeeded(run.Id, run.PipelineName, job.StageName!, job.Name, definition?.Stages[job.StageIndex].Actions.FirstOrDefault(a => a.Name == job.Name)?.Configuration.GetValueOrDefault(ActionConfigurationKeys.Summary), now));
            return;
        }
        if (job.Category == "deploy")
        {
            // DeployActionStarter creates its deployment (it needs the deployment lock, which this synchronous path cannot
            // take); until then the action is Running with no reason and no lease, like an approval.
            job.Status = RunStatus.Running;
            job.Reason = null;
            job.StartedAt = now;
            job.LeaseExpiresAt = null;
            outbox.Publish(db, new ActionStateChanged(run.Id, run.PipelineName, run.PipelineVersion, job.StageName!, job.Name,
                PipelineStates.Started, null, run.CorrelationId, now));
            return;
        }
        if (job.Category == "invoke")
        {
            // Honest refusal until the coordinator runs these itself: the run stops here, saying why.
            job.Status = RunStatus.Failed;
            job.Reason = $"{job.Category} actions are not executed by this farm yet";
            job.StartedAt = now;
            job.FinishedAt = now;
            ActionFinished(db, run, job);
            return;
        }
        job.Status = RunStatus.Queued;
        dispatcher.Dispatch(db, job);
        outbox.Publish(db, new ActionStateChanged(run.Id, run.PipelineName, run.PipelineVersion, job.StageName!, job.Name,
            PipelineStates.Started, null, run.CorrelationId, now));
    }
}
