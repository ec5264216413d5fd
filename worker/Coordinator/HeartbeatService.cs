using BuildFarm.Protos.V1;
using BuildFarm.Worker.Jobs;
using BuildFarm.Worker.Options;
using Microsoft.Extensions.Options;

namespace BuildFarm.Worker.Coordinator;

/// <summary>
/// Tells the coordinator this worker is alive and which attempts it runs (extending their
/// leases), and stops whatever the reply says is no longer wanted.
/// </summary>
public sealed partial class HeartbeatService(
    WorkerGatewayClient gateway,
    RunningJobs running,
    WorkerSlots slots,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    IOptions<WorkerOptions> options,
    ILogger<HeartbeatService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // In the embedded farm the coordinator's Kestrel starts after the hosted services.
        await lifetime.WaitForStartAsync(stoppingToken);

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.HeartbeatSeconds), time);
        do
        {
            try
            {
                await BeatAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is Grpc.Core.RpcException or HttpRequestException)
            {
                // The coordinator is away; the next beat tries again, well within the lease.
                LogBeatFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task BeatAsync(CancellationToken cancellationToken)
    {
        var request = new HeartbeatRequest { WorkerId = options.Value.Id, FreeSlots = slots.Free, Labels = { options.Value.Labels } };
        request.AttemptIds.AddRange(running.AttemptIds.Select(a => a.ToString()));
        var reply = await gateway.Gateway.HeartbeatAsync(request, deadline: time.GetUtcNow().UtcDateTime.AddSeconds(10), cancellationToken: cancellationToken);
        foreach (var attempt in reply.CancelAttemptIds)
        {
            if (Guid.TryParse(attempt, out var id))
            {
                running.Cancel(id);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Heartbeat failed")]
    private static partial void LogBeatFailed(ILogger logger, Exception exception);
}
