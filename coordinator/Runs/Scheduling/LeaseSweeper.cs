using BuildFarm.Coordinator.Logs;
using BuildFarm.Coordinator.Options;
using BuildFarm.Coordinator.Persistence;
using BuildFarm.Core.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BuildFarm.Coordinator.Runs.Scheduling;

/// <summary>
/// Ends attempts whose worker stopped heartbeating, so no run stays Running forever. A build never
/// holds its bus delivery open (RabbitMQ's consumer_timeout), so the lease is the only liveness signal.
/// </summary>
public sealed partial class LeaseSweeper(
    IServiceScopeFactory scopes,
    TimeProvider time,
    LogHub hub,
    IOptions<SchedulingOptions> options,
    ILogger<LeaseSweeper> logger) : BackgroundService
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
                // The database may be away; the next tick tries again.
                LogSweepFailed(logger, ex);
            }
        }
    }

    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BuildFarmDbContext>();
        var completion = scope.ServiceProvider.GetRequiredService<RunCompletion>();
        var now = time.GetUtcNow();
        var expired = await db.Jobs
            .Where(j => (j.Status == RunStatus.Running || j.Status == RunStatus.Cancelling) && j.LeaseExpiresAt < now)
            .OrderBy(j => j.LeaseExpiresAt)
            .Select(j => j.RunId)
            .Take(100)
            .ToListAsync(cancellationToken);
        foreach (var runId in expired.Distinct())
        {
            var run = await db.Runs.Include(r => r.Jobs).FirstAsync(r => r.Id == runId, cancellationToken);
            foreach (var job in run.Jobs.Where(j => j.LeaseExpiresAt < now && !j.Status.IsFinal()))
            {
                var lastBeat = job.LeaseExpiresAt!.Value - TimeSpan.FromSeconds(options.Value.LeaseSeconds);
                job.Reason = $"worker {job.WorkerId} lost: no heartbeat since {lastBeat:O}";
                job.Status = job.Status == RunStatus.Cancelling ? RunStatus.Cancelled : RunStatus.Failed;
                job.FinishedAt = now;
                job.LeaseExpiresAt = null;
                job.Revision++;
                hub.Complete(job.Id);
                LogLost(logger, job.Id, job.WorkerId);
            }

            completion.UpdateRun(db, run, null);
            await db.SaveChangesAsync(cancellationToken);
        }

        return expired.Count;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} lost its worker {WorkerId}; failing it")]
    private static partial void LogLost(ILogger logger, Guid jobId, string? workerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lease sweep failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
