using BuildFarm.Coordinator.Options;
using BuildFarm.Coordinator.Persistence;
using BuildFarm.Core.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BuildFarm.Coordinator.Metrics;

/// <summary>
/// Samples the gauges from the database every few seconds, off the scrape path: a scrape never waits
/// on the database, and a down database leaves the last sample instead of failing /metrics.
/// </summary>
public sealed partial class FarmGaugeSampler(
    IServiceScopeFactory scopes,
    FarmMetrics metrics,
    TimeProvider time,
    IOptions<SchedulingOptions> scheduling,
    IHostApplicationLifetime lifetime,
    ILogger<FarmGaugeSampler> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Not before the host has started: until then the migrator may still be creating the tables.
        await lifetime.WaitForStartAsync(stoppingToken);

        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                metrics.Update(await SampleAsync(stoppingToken));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSampleFailed(logger, ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task<FarmGauges> SampleAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BuildFarmDbContext>();
        RunStatus[] active = [RunStatus.Queued, RunStatus.Running, RunStatus.Cancelling];
        var runs = await db.Runs.Where(r => active.Contains(r.Status)).GroupBy(r => r.Status)
            .Select(g => new { Status = g.Key, Count = g.LongCount() }).ToListAsync(cancellationToken);
        var queuedJobs = await db.Jobs.LongCountAsync(j => j.Status == RunStatus.Queued, cancellationToken);
        var pending = await db.OutboxMessages.LongCountAsync(m => m.SentAt == null, cancellationToken);
        var since = time.GetUtcNow() - TimeSpan.FromSeconds(scheduling.Value.LeaseSeconds);
        var workers = await db.Workers.LongCountAsync(w => w.LastHeartbeatAt >= since, cancellationToken);
        var byStatus = active.ToDictionary(s => s.ToString(), s => runs.FirstOrDefault(r => r.Status == s)?.Count ?? 0);
        return new FarmGauges(byStatus, queuedJobs, pending, workers);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not sample the farm's gauges: {Reason}")]
    private static partial void LogSampleFailed(ILogger logger, string reason);
}
