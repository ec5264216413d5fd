using BuildFarm.Coordinator.Deployments;
using BuildFarm.Coordinator.Persistence;
using BuildFarm.Coordinator.Persistence.Entities;
using BuildFarm.Core.Definitions.Pipelines;
using BuildFarm.Core.Runs;
using Microsoft.EntityFrameworkCore;

namespace BuildFarm.Coordinator.Runs.Pipelines;

/// <summary>
/// Ends a pipeline's deploy action when its deployment ends, and moves the run on, on the caller's context so it
/// commits with the deployment's own final state. The action finds its deployment through its reason
/// (<see cref="Marker"/>), which the starter writes in the transaction that creates the deployment.
/// </summary>
public sealed class DeployActionCompletion(PipelineAdvancer advancer, RunCompletion completion, TimeProvider time)
{
    /// <summary>A running deploy action's reason while its deployment runs.</summary>
    public static string Marker(Guid deploymentId) => $"deployment {deploymentId:D}";

    /// <summary>Finishes the deploy action waiting on <paramref name="deployment"/>, if any (a rollback or a deployment made by hand has none).</summary>
    public async Task DeploymentEndedAsync(BuildFarmDbContext db, Deployment deployment, CancellationToken cancellationToken)
    {
        var marker = Marker(deployment.Id);
        var job = await db.Jobs.FirstOrDefaultAsync(j => j.Category == "deploy" && j.Status == RunStatus.Running && j.Reason == marker, cancellationToken);
        if (job is null)
        {
            return;
        }
        var run = await db.Runs.Include(r => r.Jobs).FirstAsync(r => r.Id == job.RunId, cancellationToken);
        var version = await db.PipelineVersions.AsNoTracking().FirstAsync(v => v.Id == run.PipelineVersionId, cancellationToken);
        Finish(db, run, job, PipelineRunPlanner.Read(version), deployment);
    }

    /// <summary>Ends the action as its deployment ended: Succeeded, or Failed with the deployment's reason.</summary>
    public void Finish(BuildFarmDbContext db, Run run, Job job, PipelineDefinition? definition, Deployment deployment)
    {
        var succeeded = deployment.Status == DeploymentStatus.Succeeded;
        Finish(db, run, job, definition, succeeded ? RunStatus.Succeeded : RunStatus.Failed,
            succeeded
                ? $"{Marker(deployment.Id)} succeeded"
                : $"{Marker(deployment.Id)} {deployment.Status.ToString().ToLowerInvariant()}: {deployment.Reason}");
    }

    /// <summary>Ends the action with <paramref name="status"/> and moves the run on (or stops it), as approvals do.</summary>
    public void Finish(BuildFarmDbContext db, Run run, Job job, PipelineDefinition? definition, RunStatus status, string reason)
    {
        job.Status = status;
        job.Reason = reason;
        job.FinishedAt = time.GetUtcNow();
        job.Revision++;
        advancer.ActionFinished(db, run, job);
        advancer.DispatchReady(db, run, definition);
        completion.UpdateRun(db, run, status == RunStatus.Succeeded ? null : reason);
    }
}
