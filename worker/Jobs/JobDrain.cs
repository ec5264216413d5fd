using BuildFarm.Worker.Options;
using Microsoft.Extensions.Options;

namespace BuildFarm.Worker.Jobs;

/// <summary>
/// On shutdown (SIGTERM), lets running jobs finish within Worker:DrainSeconds, then cancels them so
/// their process groups are killed rather than orphaned. Registered after the bus so it stops
/// before it: results can still be published while draining.
/// </summary>
public sealed class JobDrain(RunningJobs running, TimeProvider time, IOptions<WorkerOptions> options) : IHostedService
{
    private volatile bool _draining;

    /// <summary>Set on shutdown: deliveries that arrive now are left for other workers.</summary>
    public bool IsDraining => _draining;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _draining = true;
        var all = running.WhenAllAsync();
        var drained = await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(options.Value.DrainSeconds), time, cancellationToken)) == all;
        if (!drained)
        {
            running.CancelAll();
            await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(options.Value.CancelGraceSeconds + 5), time, CancellationToken.None));
        }
    }
}
