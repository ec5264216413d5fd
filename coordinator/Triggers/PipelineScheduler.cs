using System.Globalization;
using BuildFarm.Coordinator.Options;
using BuildFarm.Coordinator.Pipelines;
using BuildFarm.Coordinator.Runs;
using BuildFarm.Core.Triggers;
using Microsoft.Extensions.Options;

namespace BuildFarm.Coordinator.Triggers;

/// <summary>
/// Starts each pipeline whose latest version has <c>triggers.schedule</c> once per cron slot. Every
/// coordinator runs this; the run's idempotency key <c>schedule:{pipeline}:{slot UTC}</c> (a unique index)
/// makes the first one to trigger a slot win and the others get the same run back.
/// </summary>
public sealed partial class PipelineScheduler(
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<ScheduleOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<PipelineScheduler> logger) : BackgroundService
{
    /// <summary>
    /// Only the latest missed slot of a pipeline is started: after a pause a coordinator should catch up with
    /// one run, not replay every minute it was away. The bound also caps the walk through slots.
    /// </summary>
    private const int MaxSlotsWalked = 100_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }
        await lifetime.WaitForStartAsync(stoppingToken);
        // Slots before this coordinator started are not its business (no backfill on start).
        var since = time.GetUtcNow();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.TickSeconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var now = time.GetUtcNow();
            try
            {
                await TriggerDueAsync(since, now, stoppingToken);
                since = now;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database may be away: keep 'since', so the slot is tried again on the next tick.
                LogTickFailed(logger, ex);
            }
        }
    }

    /// <summary>Triggers every pipeline with a slot in (<paramref name="since"/>, <paramref name="now"/>]; returns the runs.</summary>
    public async Task<IReadOnlyList<Guid>> TriggerDueAsync(DateTimeOffset since, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var edges = scope.ServiceProvider.GetRequiredService<PipelineEdgesLookup>();
        var runs = scope.ServiceProvider.GetRequiredService<RunService>();
        var started = new List<Guid>();
        foreach (var (pipeline, pipelineEdges) in await edges.AllLatestAsync(cancellationToken))
        {
            if (pipelineEdges.Triggers?.Schedule is not { } schedule || LatestSlot(schedule, since, now) is not { } slot)
            {
                continue;
            }
            var key = $"schedule:{pipeline}:{slot.UtcDateTime.ToString("yyyy-MM-ddTHH:mm'Z'", CultureInfo.InvariantCulture)}";
            var variables = new Dictionary<string, string>
            {
                ["BUILDFARM_SCHEDULED_AT"] = slot.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            };
            var run = await runs.TriggerAsync(new RunTrigger(pipeline, key, variables, Guid.NewGuid(), "schedule"), cancellationToken);
            started.Add(run.Id);
            LogTriggered(logger, pipeline, key, run.Id);
        }
        return started;
    }

    private static DateTimeOffset? LatestSlot(CronSchedule schedule, DateTimeOffset since, DateTimeOffset now)
    {
        DateTimeOffset? latest = null;
        var next = schedule.NextAfter(since);
        for (var i = 0; i < MaxSlotsWalked && next is { } slot && slot <= now; i++)
        {
            latest = slot;
            next = schedule.NextAfter(slot);
        }
        return latest;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule started pipeline {Pipeline} ({Key}): run {RunId}")]
    private static partial void LogTriggered(ILogger logger, string pipeline, string key, Guid runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Schedule tick failed")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);
}
