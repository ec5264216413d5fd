using BuildFarm.Coordinator.Options;
using Microsoft.Extensions.Options;

namespace BuildFarm.Coordinator.Runs.Pipelines;

/// <summary>Fails approval actions past their timeout, on the lease sweeper's cadence (Scheduling:SweepSeconds).</summary>
public sealed partial class ApprovalTimeoutSweeper(
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<SchedulingOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<ApprovalTimeoutSweeper> logger) : BackgroundService
{
    private const int BatchSize = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await lifetime.WaitForStartAsync(stoppingToken);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.SweepSeconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<ApprovalService>().ExpireAsync(BatchSize, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database may be away; the next tick tries again.
                LogSweepFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Approval timeout sweep failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
