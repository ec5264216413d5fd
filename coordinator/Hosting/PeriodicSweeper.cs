namespace BuildFarm.Coordinator.Hosting;

/// <summary>
/// A background pass repeated on a cadence. It starts once the host has started (so a pass never runs before the
/// migrations), runs one pass per tick, and when a pass fails (the database away) logs it and carries on: the next
/// tick tries again, and nothing a pass does is lost by waiting for it.
/// </summary>
public abstract partial class PeriodicSweeper(TimeProvider time, IHostApplicationLifetime lifetime, ILogger logger) : BackgroundService
{
    /// <summary>The clock the passes read (tests replace it).</summary>
    protected TimeProvider Time => time;

    /// <summary>Time between two passes.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>One pass.</summary>
    protected abstract Task SweepOnceAsync(CancellationToken cancellationToken);

    /// <summary>Waits until the next pass is due; false when the host stops. A subclass may also wake early.</summary>
    protected virtual async ValueTask<bool> WaitForNextPassAsync(PeriodicTimer timer, CancellationToken cancellationToken) =>
        await timer.WaitForNextTickAsync(cancellationToken);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await lifetime.WaitForStartAsync(stoppingToken);
        using var timer = new PeriodicTimer(Interval, time);
        while (await WaitForNextPassAsync(timer, stoppingToken))
        {
            try
            {
                await SweepOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPassFailed(logger, GetType().Name, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Sweeper} pass failed; the next tick tries again")]
    private static partial void LogPassFailed(ILogger logger, string sweeper, Exception exception);
}
