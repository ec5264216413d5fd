using System.Globalization;
using BuildFarm.Coordinator.Hosting;
using BuildFarm.Coordinator.Options;
using BuildFarm.Coordinator.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BuildFarm.Coordinator.Deployments;

/// <summary>
/// Fails the running instance deployments of agents that went silent mid-deployment, naming the agent and its
/// last heartbeat, so the rollout (and its rollback) goes on instead of waiting for a hook timeout.
/// </summary>
public sealed class DeploymentSweeper(
    IServiceScopeFactory scopes, TimeProvider time, IOptions<DeploymentOptions> options, IHostApplicationLifetime lifetime, ILogger<DeploymentSweeper> logger)
    : PeriodicSweeper(time, lifetime, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.SweepSeconds);

    protected override Task SweepOnceAsync(CancellationToken cancellationToken) => SweepAsync(cancellationToken);

    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BuildFarmDbContext>();
        var cutoff = Time.GetUtcNow() - TimeSpan.FromSeconds(options.Value.AgentSilenceSeconds);
        var lost = await db.DeploymentInstances.AsNoTracking()
            .Where(i => i.Status == InstanceStatus.InProgress)
            .Join(db.DeployAgents, i => i.InstanceName, a => a.InstanceName, (i, a) => new { i.Id, i.InstanceName, a.LastHeartbeatAt })
            .ToListAsync(cancellationToken);
        var deployments = scope.ServiceProvider.GetRequiredService<DeploymentService>();
        foreach (var instance in lost.Where(l => l.LastHeartbeatAt < cutoff))
        {
            await deployments.CompleteInstanceAsync(instance.Id, false, string.Create(CultureInfo.InvariantCulture,
                $"The agent on {instance.InstanceName} went silent during the deployment (last heartbeat {instance.LastHeartbeatAt:yyyy-MM-dd HH:mm:ss}Z)."), cancellationToken);
        }
    }

}
