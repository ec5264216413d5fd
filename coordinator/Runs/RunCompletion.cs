using BuildFarm.Contracts.Commands;
using BuildFarm.Contracts.Events;
using BuildFarm.Coordinator.Messaging.Outbox;
using BuildFarm.Coordinator.Persistence;
using BuildFarm.Coordinator.Persistence.Entities;
using BuildFarm.Coordinator.Runs.Batches;
using BuildFarm.Core.Runs;

namespace BuildFarm.Coordinator.Runs;

/// <summary>
/// Derives a run's status from its (tracked) jobs and, when the run becomes final, adds
/// RunCompleted to the outbox (and, for a run with stages, <see cref="AdmitExecutions"/>). A batch run is moved on here first (<see cref="BatchAdvancer"/>). The caller saves,
/// so all of it commits together.
/// </summary>
public sealed class RunCompletion(OutboxWriter outbox, TimeProvider time, BatchAdvancer batches)
{
    public void UpdateRun(BuildFarmDbContext db, Run run, string? reason)
    {
        var before = run.Status;
        RunStatus after;
        if (BatchAdvancer.IsBatch(run))
        {
            // A batch moves on first (next members dispatched, fast-fail stops), then its own rules give the status:
            // ignore-failure members do not fail it, and a failure outranks the stops it caused.
            batches.Advance(db, run);
            (after, var batchReason) = BatchAdvancer.Aggregate(run);
            reason = batchReason ?? reason;
        }
        else
        {
            after = RunStateMachine.Aggregate(run.Jobs.Select(j => j.Status).ToList());
        }

        if (after == before)
        {
            return;
        }

        run.Status = after;
        run.Revision++;
        var now = time.GetUtcNow();
        if (after == RunStatus.Running && run.StartedAt is null)
        {
            run.StartedAt = now;
        }

        if (after.IsFinal())
        {
            run.FinishedAt = now;
            run.Reason = after == RunStatus.Succeeded
                ? null
                : reason ?? run.Jobs.Select(j => j.Reason).FirstOrDefault(r => r is not null);
            outbox.Publish(db, new RunCompleted(run.Id, after.ToString(), run.Reason, run.CorrelationId, now));
            if (run.Jobs.Any(j => j.StageName is not null))
            {
                // Its stages are free now: a run waiting in front of one may go in.
                outbox.Publish(db, new AdmitExecutions(run.Id, run.PipelineId));
            }
        }
    }
}
