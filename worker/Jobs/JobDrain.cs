using BuildFarm.Protos.V1;
using BuildFarm.Worker.Coordinator;
using BuildFarm.Worker.Options;
using Microsoft.Extensions.Options;

namespace BuildFarm.Worker.Jobs;

/// <summary>
/// On shutdown (SIGTERM), lets running jobs finish within Worker:DrainSeconds, then cancels them, or
/// stops them and hands them back to the coordinator (Worker:DrainTimeoutAction), so their process
/// groups are killed rather than orphaned. Registered after the bus so it stops before it: results can
/// still be published while draining.
/// </summary>
public sealed partial class JobDrain(
    RunningJobs running,
    WorkerGatewayClient gateway,
    TimeProvider time,
    IOptions<WorkerOptions> options,
    ILogger<JobDrain> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _draining = new();

    /// <summary>Set on shutdown: deliveries that arrive now are left for other workers.</summary>
    public bool IsDraining => _draining.IsCancellationRequested;

    /// <summary>Cancelled when the drain starts, waking deliveries that wait for a slot so they go back at once.</summary>
    public CancellationToken Draining => _draining.Token;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _draining.Dispose();

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _draining.CancelAsync();
        var all = running.WhenAllAsync();
        var drained = await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(options.Value.DrainSeconds), time, cancellationToken)) == all;
        if (drained)
        {
            return;
        }

        if (options.Value.DrainTimeoutAction == "HandBack")
        {
            var handedBack = running.HandBackAll();
            await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(options.Value.CancelGraceSeconds + 5), time, CancellationToken.None));
            await TellCoordinatorAsync(handedBack);
        }
        else
        {
            running.CancelAll();
            await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(options.Value.CancelGraceSeconds + 5), time, CancellationToken.None));
        }
    }

    // Best effort: if the coordinator cannot be told, the attempts' leases lapse and they run again all the same.
    private async Task TellCoordinatorAsync(IReadOnlyList<Guid> handedBack)
    {
        if (handedBack.Count == 0)
        {
            return;
        }

        var request = new HeartbeatRequest { WorkerId = options.Value.Id, FreeSlots = 0, Labels = { options.Value.Labels } };
        request.HandedBackAttemptIds.AddRange(handedBack.Select(a => a.ToString()));
        try
        {
            await gateway.Gateway.HeartbeatAsync(request, deadline: time.GetUtcNow().UtcDateTime.AddSeconds(10));
            LogHandedBack(logger, handedBack.Count);
        }
        catch (Exception ex) when (ex is Grpc.Core.RpcException or HttpRequestException)
        {
            LogHandBackFailed(logger, ex, handedBack.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drain time is up: handed {Count} attempt(s) back to the coordinator")]
    private static partial void LogHandedBack(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell the coordinator about {Count} handed-back attempt(s); their leases will lapse instead")]
    private static partial void LogHandBackFailed(ILogger logger, Exception exception, int count);
}
