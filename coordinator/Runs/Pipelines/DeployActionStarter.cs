using BuildFarm.Coordinator.Deployments;
using BuildFarm.Coordinator.Errors;
using BuildFarm.Coordinator.Persistence;
using BuildFarm.Coordinator.Persistence.Entities;
using BuildFarm.Core.Definitions.Pipelines;
using BuildFarm.Core.Runs;
using BuildFarm.Storage.Artifacts;
using Microsoft.EntityFrameworkCore;

namespace BuildFarm.Coordinator.Runs.Pipelines;

/// <summary>
/// Creates the deployment of each deploy action the advancer started: CodeDeploy's application and deployment group
/// from the action's configuration, the revision its first input artifact (the key the producing action stored it
/// under). The action's reason names the deployment in the same transaction that stores it; a deployment that cannot
/// start (no agents, an unknown group) fails the action, and so the run, in that transaction too.
/// </summary>
public sealed class DeployActionStarter(BuildFarmDbContext db, DeploymentService deployments, DeployActionCompletion completion)
{
    /// <summary>Starts up to <paramref name="batchSize"/> waiting deploy actions; returns how many.</summary>
    public async Task<int> StartPendingAsync(int batchSize, CancellationToken cancellationToken)
    {
        var waiting = await db.Jobs.AsNoTracking()
            .Where(j => j.Category == "deploy" && j.Status == RunStatus.Running && j.Reason == null)
            .OrderBy(j => j.StartedAt)
            .Select(j => j.Id)
            .Take(batchSize)
            .ToListAsync(cancellationToken);
        var started = 0;
        foreach (var jobId in waiting)
        {
            try
            {
                if (await StartAsync(jobId, cancellationToken))
                {
                    started++;
                }
            }
            catch (DbUpdateConcurrencyException)
            {
                // Cancelled, or another coordinator started it: nothing of this attempt was stored.
            }
            db.ChangeTracker.Clear();
        }
        return started;
    }

    private async Task<bool> StartAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var job = await db.Jobs.FirstAsync(j => j.Id == jobId, cancellationToken);
        var run = await db.Runs.Include(r => r.Jobs).FirstAsync(r => r.Id == job.RunId, cancellationToken);
        if (job.Status != RunStatus.Running || job.Reason is not null)
        {
            return false;
        }
        var version = await db.PipelineVersions.AsNoTracking().FirstAsync(v => v.Id == run.PipelineVersionId, cancellationToken);
        var definition = PipelineRunPlanner.Read(version);
        var action = definition?.Stages[job.StageIndex].Actions.FirstOrDefault(a => a.Name == job.Name);
        if (action is null || action.InputArtifacts.Count == 0)
        {
            await FailAsync(run, job, definition, "a deploy action needs an input artifact (the revision to deploy)", cancellationToken);
            return true;
        }
        var revision = ArtifactKey.For(run.PipelineName, run.Id, action.InputArtifacts[0]);
        var options = new DeploymentRequestOptions(DeploymentConfig: action.Configuration.GetValueOrDefault(ActionConfigurationKeys.DeploymentConfig));
        try
        {
            await deployments.CreateAsync(
                action.Setting(ActionConfigurationKeys.Application, ""), action.Setting(ActionConfigurationKeys.DeploymentGroup, ""), revision, options,
                deployment => Record(run, job, definition, deployment), cancellationToken);
        }
        catch (Exception ex) when (ex is NotFoundException or RequestInvalidException)
        {
            // Refused before anything was stored (an unknown group, a bad deployment config): the action fails with why.
            db.ChangeTracker.Clear();
            job = await db.Jobs.FirstAsync(j => j.Id == jobId, cancellationToken);
            run = await db.Runs.Include(r => r.Jobs).FirstAsync(r => r.Id == job.RunId, cancellationToken);
            if (job.Status != RunStatus.Running || job.Reason is not null)
            {
                return false;
            }
            await FailAsync(run, job, definition, $"the deployment could not be created: {ex.Message}", cancellationToken);
        }
        return true;
    }

    private void Record(Run run, Job job, PipelineDefinition? definition, Deployment deployment)
    {
        if (deployment.Status == DeploymentStatus.InProgress)
        {
            job.Reason = DeployActionCompletion.Marker(deployment.Id);
            job.Revision++;
            return;
        }
        completion.Finish(db, run, job, definition, deployment);
    }

    private async Task FailAsync(Run run, Job job, PipelineDefinition? definition, string reason, CancellationToken cancellationToken)
    {
        completion.Finish(db, run, job, definition, RunStatus.Failed, reason);
        await db.SaveChangesAsync(cancellationToken);
    }
}
