using BuildFarm.Coordinator.Options;
using BuildFarm.Coordinator.Persistence;
using BuildFarm.Core.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BuildFarm.Coordinator.Runs.Pipelines;

/// <summary>
/// The execution gate's safety net, on the lease sweeper's cadence (Scheduling:SweepSeconds): a pass for every pipeline
/// with an action still waiting, in case the event that should have let its execution in was missed (a restart).
/// </summary>
public sealed partial class ExecutionGateSweeper(
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<SchedulingOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<ExecutionGateSweeper> logger) : BackgroundService
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
                var db = scope.ServiceProvider.GetRequiredService<BuildFarmDbContext>();
                var pipelines = await db.Runs.AsNoTracking()
                    .Where(r => (r.Status == RunStatus.Queued || r.Status == RunStatus.Running)
                        && db.Jobs.Any(j => j.RunId == r.Id && j.StageName != null && j.Status == RunStatus.Waiting))
                    .Select(r => r.PipelineId)
                    .Distinct()
                    .OrderBy(id => id)
                    .Take(BatchSize)
                    .ToListAsync(stoppingToken);
                var gate = scope.ServiceProvider.GetRequiredService<ExecutionGate>();
                foreach (var pipeline in pipelines)
                {
                    await gate.AdmitAsync(pipeline, stoppingToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database may be away; the next tick tries again.
                LogSweepFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution gate sweep failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
