using System.Globalization;
using BuildFarm.Contracts.Commands;
using BuildFarm.Coordinator.Errors;
using BuildFarm.Coordinator.Messaging.Outbox;
using BuildFarm.Coordinator.Persistence;
using BuildFarm.Coordinator.Persistence.Entities;
using BuildFarm.Coordinator.Runs.Pipelines;
using BuildFarm.Core.Deployments;
using Microsoft.EntityFrameworkCore;

namespace BuildFarm.Coordinator.Deployments;

/// <summary>
/// Creates, advances and stops deployments. Every state change takes the group's <see cref="DeploymentLock"/>, recounts
/// the instances and asks <see cref="DeploymentRollout"/> what comes next; DeployRevision messages for the
/// instances it starts go through the outbox in the same transaction.
/// </summary>
public sealed partial class DeploymentService(
    BuildFarmDbContext db,
    AgentRegistry agents,
    DeploymentLock gate,
    OutboxWriter outbox,
    OutboxSignal signal,
    DeployActionCompletion pipelineActions,
    TimeProvider time,
    ILogger<DeploymentService> logger)
{
    public Task<Deployment> CreateAsync(string application, string groupName, string revision, DeploymentRequestOptions options, CancellationToken cancellationToken) =>
        CreateAsync(application, groupName, revision, options, beforeSave: null, cancellationToken);

    /// <summary>
    /// Creates a deployment; <paramref name="beforeSave"/> sees it (already failed when it could not start) before the
    /// transaction that stores it commits, so a caller's own tracked changes commit with it.
    /// </summary>
    public async Task<Deployment> CreateAsync(
        string application, string groupName, string revision, DeploymentRequestOptions options, Action<Deployment>? beforeSave, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(revision))
        {
            throw new RequestInvalidException("revision", "revision is required: an artifact key (…/artifact.zip) or an absolute path to a zip on the agents.");
        }
        if (options.FileExistsBehavior is not (null or "DISALLOW" or "OVERWRITE" or "RETAIN"))
        {
            throw new RequestInvalidException("fileExistsBehavior", "fileExistsBehavior is DISALLOW, OVERWRITE or RETAIN.");
        }
        var group = await db.DeploymentGroups.FirstOrDefaultAsync(g => g.ApplicationName == application && g.Name == groupName, cancellationToken)
            ?? throw new NotFoundException("Deployment group", $"{application}/{groupName}");
        await using (var transaction = await gate.TakeAsync(group.Id, cancellationToken))
        {
            // Read again under the lock: a deployment that ended, or an edit of the group, between the first read and the
            // lock changed its configuration, tags or last successful revision, and this deployment must start from those.
            await db.Entry(group).ReloadAsync(cancellationToken);
            if (db.Entry(group).State == EntityState.Detached)
            {
                throw new NotFoundException("Deployment group", $"{application}/{groupName}");
            }
            if (!DeploymentConfig.TryParse(options.DeploymentConfig ?? group.DeploymentConfig, out var config, out var error))
            {
                throw new RequestInvalidException("deploymentConfig", error);
            }
            var deployment = await CreateLockedAsync(group, revision, config, options, rollbackOf: null, beforeSave, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            signal.Notify();
            return deployment;
        }
    }

    public async Task<Deployment> GetAsync(Guid id, CancellationToken cancellationToken) =>
        await db.Deployments.AsNoTracking().Include(d => d.Instances.OrderBy(i => i.Ordinal)).FirstOrDefaultAsync(d => d.Id == id, cancellationToken)
        ?? throw new NotFoundException("Deployment", id.ToString());

    public Task<List<Deployment>> ListAsync(string? application, string? group, int limit, CancellationToken cancellationToken) =>
        db.Deployments.AsNoTracking()
            .Where(d => (application == null || d.ApplicationName == application) && (group == null || d.GroupName == group))
            .OrderByDescending(d => d.CreatedAt).Take(Math.Clamp(limit, 1, 200))
            .Include(d => d.Instances.OrderBy(i => i.Ordinal))
            .ToListAsync(cancellationToken);

    /// <summary>Stops a running deployment: pending instances are skipped, running ones are told to stop, and with <paramref name="rollback"/> the last good revision is redeployed.</summary>
    public async Task<Deployment> StopAsync(Guid id, bool rollback, CancellationToken cancellationToken)
    {
        var groupId = await GroupOfAsync(db.Deployments.Where(d => d.Id == id).Select(d => (Guid?)d.GroupId), "Deployment", id, cancellationToken);
        await using (var transaction = await gate.TakeAsync(groupId, cancellationToken))
        {
            var deployment = await LoadAsync(id, cancellationToken);
            if (deployment.Status != DeploymentStatus.InProgress)
            {
                throw new ConflictException($"Deployment {id} is {deployment.Status}; only a deployment in progress can be stopped.");
            }
            deployment.AutoRollback = rollback;
            End(deployment, DeploymentStatus.Stopped, "stopped on request");
            await RollBackIfDueAsync(deployment, cancellationToken);
            await pipelineActions.DeploymentEndedAsync(db, deployment, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            signal.Notify();
            return deployment;
        }
    }

    /// <summary>The agent claims its instance: granted once, and only while the deployment still runs.</summary>
    public async Task<(bool Granted, string Reason, DeploymentInstance? Instance)> StartInstanceAsync(Guid instanceId, string instanceName, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var claimed = await db.DeploymentInstances
            .Where(i => i.Id == instanceId && i.InstanceName == instanceName && i.Status == InstanceStatus.InProgress && i.StartedAt == null
                && db.Deployments.Any(d => d.Id == i.DeploymentId && d.Status == DeploymentStatus.InProgress))
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.StartedAt, now), cancellationToken);
        var instance = await db.DeploymentInstances.AsNoTracking().FirstOrDefaultAsync(i => i.Id == instanceId, cancellationToken);
        return claimed == 1
            ? (true, "", instance)
            : (false, instance is null ? "unknown instance deployment" : $"instance deployment is {instance.Status}{(instance.StartedAt is null ? "" : ", already started")}", instance);
    }

    /// <summary>Records one lifecycle event's status on the instance (replacing its earlier report).</summary>
    /// <remarks>
    /// Without the deployment lock: one agent sends an instance's reports in order, one at a time, and they
    /// touch only the Events column, which nothing else writes, so they never hold up a rollout decision.
    /// </remarks>
    public async Task ReportEventAsync(Guid instanceId, DeploymentEventRecord record, CancellationToken cancellationToken)
    {
        var instance = await db.DeploymentInstances.FirstOrDefaultAsync(i => i.Id == instanceId, cancellationToken)
            ?? throw new NotFoundException("Instance deployment", instanceId.ToString());
        instance.Events = instance.Events.Where(e => e.Event != record.Event).Append(record).ToList();
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The agent is done with its instance (or the sweeper declares it lost); advances the rollout. A repeat is a no-op.</summary>
    public async Task CompleteInstanceAsync(Guid instanceId, bool succeeded, string? message, CancellationToken cancellationToken)
    {
        var groupId = await GroupOfAsync(
            db.DeploymentInstances.Where(i => i.Id == instanceId).Join(db.Deployments, i => i.DeploymentId, d => d.Id, (i, d) => (Guid?)d.GroupId),
            "Instance deployment", instanceId, cancellationToken);
        await using (var transaction = await gate.TakeAsync(groupId, cancellationToken))
        {
            var instance = await db.DeploymentInstances.FirstOrDefaultAsync(i => i.Id == instanceId, cancellationToken)
                ?? throw new NotFoundException("Instance deployment", instanceId.ToString());
            if (instance.Status != InstanceStatus.InProgress)
            {
                return;
            }
            instance.Status = succeeded ? InstanceStatus.Succeeded : InstanceStatus.Failed;
            instance.FinishedAt = time.GetUtcNow();
            instance.Message = message;
            var deployment = await LoadAsync(instance.DeploymentId, cancellationToken);
            if (deployment.Status == DeploymentStatus.InProgress)
            {
                await AdvanceAsync(deployment, cancellationToken);
                if (deployment.Status != DeploymentStatus.InProgress)
                {
                    await pipelineActions.DeploymentEndedAsync(db, deployment, cancellationToken);
                }
            }
            else
            {
                await RollBackIfDueAsync(deployment, cancellationToken);
            }
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            signal.Notify();
        }
    }

    private static async Task<Guid> GroupOfAsync(IQueryable<Guid?> groupId, string what, Guid id, CancellationToken cancellationToken) =>
        await groupId.FirstOrDefaultAsync(cancellationToken) ?? throw new NotFoundException(what, id.ToString());

    private async Task<Deployment> CreateLockedAsync(
        DeploymentGroup group, string revision, DeploymentConfig config, DeploymentRequestOptions options, Deployment? rollbackOf,
        Action<Deployment>? beforeSave, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var deployment = new Deployment
        {
            Id = Guid.NewGuid(),
            ApplicationName = group.ApplicationName,
            GroupId = group.Id,
            GroupName = group.Name,
            Revision = revision,
            DeploymentConfig = config.Name,
            Status = DeploymentStatus.InProgress,
            IgnoreApplicationStopFailures = options.IgnoreApplicationStopFailures ?? group.IgnoreApplicationStopFailures,
            FileExistsBehavior = options.FileExistsBehavior,
            AutoRollback = rollbackOf is null && (options.AutoRollback ?? group.AutoRollback),
            IsRollback = rollbackOf is not null,
            RollbackOfId = rollbackOf?.Id,
            CreatedAt = now,
        };
        db.Deployments.Add(deployment);
        if (rollbackOf is not null)
        {
            rollbackOf.RollbackDeploymentId = deployment.Id;
        }

        var (members, problem) = await SelectInstancesAsync(group, cancellationToken);
        var ordinal = 0;
        foreach (var name in members)
        {
            deployment.Instances.Add(new DeploymentInstance
            {
                Id = Guid.NewGuid(),
                DeploymentId = deployment.Id,
                InstanceName = name,
                Ordinal = ordinal++,
                Status = InstanceStatus.Pending,
                AttemptId = Guid.NewGuid(),
            });
        }
        problem ??= DeploymentRollout.Refusal(config, members.Count);
        if (problem is not null)
        {
            End(deployment, DeploymentStatus.Failed, problem);
        }
        else
        {
            await AdvanceAsync(deployment, cancellationToken);
        }
        beforeSave?.Invoke(deployment);
        await db.SaveChangesAsync(cancellationToken);
        LogCreated(logger, deployment.Id, group.ApplicationName, group.Name, members.Count, deployment.Status);
        return deployment;
    }

    /// <summary>The group's instances, or why the deployment cannot start: named instances missing, or agents silent.</summary>
    private async Task<(List<string> Members, string? Problem)> SelectInstancesAsync(DeploymentGroup group, CancellationToken cancellationToken)
    {
        var all = await agents.ListAsync(cancellationToken);
        var selected = all.Where(a => group.InstanceNames.Contains(a.InstanceName)
                || (group.TagFilters.Count > 0 && group.TagFilters.All(f => a.Tags.TryGetValue(f.Key, out var v) && v == f.Value)))
            .ToList();
        var members = selected.Select(a => a.InstanceName).Union(group.InstanceNames).Order(StringComparer.Ordinal).ToList();
        var problems = new List<string>();
        foreach (var missing in group.InstanceNames.Where(n => all.All(a => a.InstanceName != n)))
        {
            problems.Add($"{missing} (no agent ever registered)");
        }
        var now = time.GetUtcNow();
        foreach (var silent in selected.Where(agents.IsSilent))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"{silent.InstanceName} (last heartbeat {silent.LastHeartbeatAt:yyyy-MM-dd HH:mm:ss}Z, {(now - silent.LastHeartbeatAt).TotalSeconds:0} s ago)"));
        }
        if (members.Count == 0)
        {
            var tags = string.Join(", ", group.TagFilters.Select(t => $"{t.Key}={t.Value}"));
            return (members, $"No deploy agent matches the group's tags ({tags}); start one with `buildfarm agent --group {group.Name}`.");
        }
        return problems.Count == 0
            ? (members, null)
            : (members, $"The deployment group's agents are missing or silent, so no lifecycle event could reach them: {string.Join("; ", problems)}.");
    }

    private async Task AdvanceAsync(Deployment deployment, CancellationToken cancellationToken)
    {
        DeploymentConfig.TryParse(deployment.DeploymentConfig, out var config, out _);
        var counts = new InstanceCounts(
            deployment.Instances.Count(i => i.Status == InstanceStatus.Pending),
            deployment.Instances.Count(i => i.Status == InstanceStatus.InProgress),
            deployment.Instances.Count(i => i.Status == InstanceStatus.Succeeded),
            deployment.Instances.Count(i => i.Status == InstanceStatus.Failed));
        var decision = DeploymentRollout.Next(config, counts);
        foreach (var instance in deployment.Instances.Where(i => i.Status == InstanceStatus.Pending).OrderBy(i => i.Ordinal).Take(decision.Start))
        {
            instance.Status = InstanceStatus.InProgress;
            instance.DispatchedAt = time.GetUtcNow();
            outbox.Send(db, new DeployRevision(
                deployment.Id, instance.Id, instance.InstanceName, deployment.ApplicationName, deployment.GroupId, deployment.GroupName,
                deployment.Revision, deployment.IgnoreApplicationStopFailures, deployment.FileExistsBehavior), AgentQueue.For(instance.InstanceName));
        }
        switch (decision.Outcome)
        {
            case true:
                End(deployment, DeploymentStatus.Succeeded, null);
                var group = await db.DeploymentGroups.FirstAsync(g => g.Id == deployment.GroupId, cancellationToken);
                group.LastSuccessfulRevision = deployment.Revision;
                group.LastSuccessfulDeploymentId = deployment.Id;
                break;
            case false:
                End(deployment, DeploymentStatus.Failed, decision.Reason);
                await RollBackIfDueAsync(deployment, cancellationToken);
                break;
        }
    }

    /// <summary>Once a failed or stopped deployment has no instance still running, starts its rollback (once).</summary>
    private async Task RollBackIfDueAsync(Deployment deployment, CancellationToken cancellationToken)
    {
        if (!deployment.AutoRollback || deployment.RollbackDeploymentId is not null
            || deployment.Instances.Any(i => i.Status == InstanceStatus.InProgress))
        {
            return;
        }
        var group = await db.DeploymentGroups.FirstAsync(g => g.Id == deployment.GroupId, cancellationToken);
        if (group.LastSuccessfulRevision is null)
        {
            deployment.Reason += " No earlier successful revision to roll back to.";
            deployment.AutoRollback = false;
            return;
        }
        DeploymentConfig.TryParse(deployment.DeploymentConfig, out var config, out _);
        var rollback = await CreateLockedAsync(group, group.LastSuccessfulRevision, config,
            new DeploymentRequestOptions(IgnoreApplicationStopFailures: true, FileExistsBehavior: "OVERWRITE"), deployment, beforeSave: null, cancellationToken);
        deployment.Reason += $" Rolled back by deployment {rollback.Id} (revision {rollback.Revision}).";
    }

    private void End(Deployment deployment, DeploymentStatus status, string? reason)
    {
        deployment.Status = status;
        deployment.Reason = reason;
        deployment.FinishedAt = time.GetUtcNow();
        foreach (var pending in deployment.Instances.Where(i => i.Status == InstanceStatus.Pending))
        {
            pending.Status = InstanceStatus.Skipped;
            pending.Message = status == DeploymentStatus.Stopped ? "the deployment was stopped" : "the deployment failed before this instance's turn";
        }
    }

    private async Task<Deployment> LoadAsync(Guid id, CancellationToken cancellationToken) =>
        await db.Deployments.Include(d => d.Instances).FirstOrDefaultAsync(d => d.Id == id, cancellationToken)
        ?? throw new NotFoundException("Deployment", id.ToString());

    [LoggerMessage(Level = LogLevel.Information, Message = "Deployment {DeploymentId} of {Application}/{Group} to {Instances} instance(s): {Status}")]
    private static partial void LogCreated(ILogger logger, Guid deploymentId, string application, string group, int instances, DeploymentStatus status);
}
