using System.Globalization;
using BuildFarm.Coordinator.Options;
using BuildFarm.Coordinator.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BuildFarm.Coordinator.Deployments;

/// <summary>
/// Fails the running instance deployments of agents that went silent mid-deployment, naming the agent and its
/// last heartbeat, so the rollout (and its rollback) goes on instead of waiting for a hook timeout.
/// </summary>
public sealed partial class DeploymentSweeper(
    IServiceScopeFactory scopes, TimeProvider time, IOptions<DeploymentOptions> options, ILogger<DeploymentSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.SweepSeconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database may be away (as for the lease sweeper); the next tick tries again.
                LogSweepFailed(logger, ex);
            }
        }
    }

    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BuildFarmDbContext>();
        var cutoff = time.GetUtcNow() - TimeSpan.FromSeconds(options.Value.AgentSilenceSeconds);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deployment sweep failed; retrying")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
