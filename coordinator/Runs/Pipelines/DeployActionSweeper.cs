using BuildFarm.Coordinator.Options;
using Microsoft.Extensions.Options;

namespace BuildFarm.Coordinator.Runs.Pipelines;

/// <summary>Starts the deployments of deploy actions the advancer started (Deployments:ActionPollMilliseconds).</summary>
public sealed partial class DeployActionSweeper(
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<DeploymentOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<DeployActionSweeper> logger) : BackgroundService
{
    private const int BatchSize = 50;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await lifetime.WaitForStartAsync(stoppingToken);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.ActionPollMilliseconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<DeployActionStarter>().StartPendingAsync(BatchSize, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database may be away; the next tick tries again.
                LogSweepFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deploy action start sweep failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
