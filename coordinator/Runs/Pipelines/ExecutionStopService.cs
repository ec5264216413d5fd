using BuildFarm.Contracts.Commands;
using BuildFarm.Contracts.Events;
using BuildFarm.Coordinator.Deployments;
using BuildFarm.Coordinator.Errors;
using BuildFarm.Coordinator.Messaging.Outbox;
using BuildFarm.Coordinator.Persistence;
using BuildFarm.Coordinator.Persistence.Entities;
using BuildFarm.Core.Runs;
using Microsoft.EntityFrameworkCore;

namespace BuildFarm.Coordinator.Runs.Pipelines;

/// <summary>
/// CodePipeline's StopPipelineExecution, both ways. Stop and wait: nothing new starts (every waiting action is
/// Cancelled with the reason) while the actions already started finish on their own; the execution ends Cancelled
/// once they have. Stop and abandon: the started actions are cancelled too — a worker's job gets CancelJob (TERM,
/// grace, KILL) and is Cancelling until the worker confirms, an approval ends at once, and a deploy action ends at once
/// and its deployment is stopped.
/// </summary>
public sealed class ExecutionStopService(
    BuildFarmDbContext db, PipelineAdvancer advancer, RunCompletion completion, OutboxWriter outbox, OutboxSignal signal,
    DeploymentService deployments, TimeProvider time)
{
    private const int MaxTries = 5;

    public async Task<Run> StopAsync(Guid runId, bool abandon, string reason, CancellationToken cancellationToken)
    {
        if (reason.Length > 1000)
        {
            throw new RequestInvalidException("reason", "The reason is longer than 1000 characters.");
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var deploymentsToStop = await StopOnceAsync(runId, abandon, reason, cancellationToken);
                foreach (var deployment in deploymentsToStop)
                {
                    await StopDeploymentAsync(deployment, cancellationToken);
                }
                break;
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxTries)
            {
                // A worker's result or the gate changed the run meanwhile: decide again on fresh state.
                db.ChangeTracker.Clear();
            }
        }
        db.ChangeTracker.Clear();
        return await db.Runs.AsNoTracking().Include(r => r.Jobs).FirstAsync(r => r.Id == runId, cancellationToken);
    }

    private async Task<List<Guid>> StopOnceAsync(Guid runId, bool abandon, string reason, CancellationToken cancellationToken)
    {
        var run = await db.Runs.Include(r => r.Jobs).FirstOrDefaultAsync(r => r.Id == runId, cancellationToken)
            ?? throw new NotFoundException("Run", runId.ToString());
        if (run.Status.IsFinal())
        {
            throw new ConflictException($"Run {runId} is {run.Status}: only an execution in progress can be stopped.");
        }
        var now = time.GetUtcNow();
        var deploymentsToStop = new List<Guid>();
        var stopping = new HashSet<string>(StringComparer.Ordinal);
        foreach (var job in run.Jobs.OrderBy(j => j.StageIndex).ThenBy(j => j.RunOrder))
        {
            switch (job.Status)
            {
                case RunStatus.Waiting or RunStatus.Queued when job.Status == RunStatus.Waiting || abandon:
                    // Never started (or not yet claimed, when abandoning): it will not run.
                    End(job, RunStatus.Cancelled, reason, now);
                    break;
                case RunStatus.Running when abandon && job.Category is "approval" or "deploy":
                    // The coordinator runs these itself: they end here. A deployment already made is stopped after the commit.
                    if (job.Category == "deploy" && job.Reason is { } marker && Guid.TryParse(marker.Replace("deployment ", "", StringComparison.Ordinal), out var deploymentId))
                    {
                        deploymentsToStop.Add(deploymentId);
                    }
                    End(job, RunStatus.Cancelled, $"abandoned: {reason}", now);
                    advancer.ActionFinished(db, run, job);
                    break;
                case RunStatus.Running when abandon:
                    outbox.Publish(db, new CancelJob(run.Id, job.Id, job.AttemptId));
                    job.Status = RunStatus.Cancelling;
                    job.Reason = $"abandoned: {reason}";
                    job.Revision++;
                    break;
                case RunStatus.Queued or RunStatus.Running:
                    // Stop and wait: it finishes on its own.
                    if (job.StageName is not null)
                    {
                        stopping.Add(job.StageName);
                    }
                    break;
            }
        }
        foreach (var stage in stopping)
        {
            outbox.Publish(db, new StageStateChanged(run.Id, run.PipelineName, run.PipelineVersion, stage, "STOPPING", reason, run.CorrelationId, now));
        }
        run.Revision++;
        completion.UpdateRun(db, run, reason);
        await db.SaveChangesAsync(cancellationToken);
        signal.Notify();
        return deploymentsToStop;
    }

    private static void End(Job job, RunStatus status, string reason, DateTimeOffset now)
    {
        job.Status = status;
        job.Reason = reason;
        job.FinishedAt = now;
        job.LeaseExpiresAt = null;
        job.Revision++;
    }

    private async Task StopDeploymentAsync(Guid deploymentId, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        try
        {
            await deployments.StopAsync(deploymentId, rollback: false, cancellationToken);
        }
        catch (ConflictException)
        {
            // It ended on its own meanwhile.
        }
        catch (NotFoundException)
        {
            // The marker named no deployment (it was refused before it was stored).
        }
    }
}
