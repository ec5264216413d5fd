using BuildFarm.Coordinator.Hosting;
using BuildFarm.Coordinator.Options;
using Microsoft.Extensions.Options;

namespace BuildFarm.Coordinator.Runs.Pipelines;

/// <summary>Starts the deployments of deploy actions the advancer started (Deployments:ActionPollMilliseconds).</summary>
public sealed class DeployActionSweeper(
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<DeploymentOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<DeployActionSweeper> logger) : PeriodicSweeper(time, lifetime, logger)
{
    private const int BatchSize = 50;

    protected override TimeSpan Interval => TimeSpan.FromMilliseconds(options.Value.ActionPollMilliseconds);

    protected override async Task SweepOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DeployActionStarter>().StartPendingAsync(BatchSize, cancellationToken);
    }
}
