using BuildFarm.Coordinator.Hosting;
using BuildFarm.Coordinator.Options;
using BuildFarm.Coordinator.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BuildFarm.Coordinator.Logs;

/// <summary>Deletes the stored logs of jobs that finished more than Logs:RetentionDays ago.</summary>
public sealed partial class LogRetention(
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<LogOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<LogRetention> logger) : PeriodicSweeper(time, lifetime, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromMinutes(options.Value.RetentionSweepMinutes);

    protected override Task SweepOnceAsync(CancellationToken cancellationToken) => SweepAsync(cancellationToken);

    /// <summary>Deletes expired logs now; returns the number of chunks deleted.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BuildFarmDbContext>();
        var cutoff = Time.GetUtcNow() - TimeSpan.FromDays(options.Value.RetentionDays);
        var deleted = await db.LogChunks
            .Where(c => db.Jobs.Any(j => j.Id == c.JobId && j.FinishedAt != null && j.FinishedAt < cutoff))
            .ExecuteDeleteAsync(cancellationToken);
        if (deleted > 0)
        {
            LogDeleted(logger, deleted, options.Value.RetentionDays);
        }

        return deleted;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} log chunk(s) of jobs finished more than {Days} days ago")]
    private static partial void LogDeleted(ILogger logger, int count, int days);

}
