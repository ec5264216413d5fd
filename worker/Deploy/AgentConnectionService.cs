using BuildFarm.Protos.V1;
using BuildFarm.Worker.Coordinator;
using BuildFarm.Worker.Options;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace BuildFarm.Worker.Deploy;

/// <summary>
/// Registers the agent (instance name, tags) with the coordinator over gRPC, then heartbeats. A beat whose
/// reply says "unknown" registers again; one that names a running deployment stops it. At start, a
/// deployment a previous run of the agent was in the middle of is reported failed at the event it was in.
/// </summary>
public sealed partial class AgentConnectionService(
    WorkerGatewayClient gateway,
    AgentDeploymentRunner runner,
    AgentState state,
    AgentStatus status,
    HostPaths paths,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    IOptions<AgentOptions> agentOptions,
    IOptions<WorkerOptions> workerOptions,
    ILogger<AgentConnectionService> logger) : BackgroundService
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await lifetime.WaitForStartAsync(stoppingToken);

        var options = agentOptions.Value;
        status.Starting(options.InstanceName, workerOptions.Value.CoordinatorUrl!.ToString());
        var heartbeat = TimeSpan.FromSeconds(workerOptions.Value.HeartbeatSeconds);
        var registered = false;
        var interruptedReported = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!registered)
                {
                    var request = new RegisterAgentRequest { InstanceName = options.InstanceName, Os = DeploymentExecutor.HostOs, Root = paths.Root };
                    request.Tags.Add(new Dictionary<string, string>(options.EffectiveTags()));
                    var reply = await gateway.DeployAgents.RegisterAgentAsync(request, deadline: Deadline(), cancellationToken: stoppingToken);
                    heartbeat = TimeSpan.FromSeconds(Math.Clamp(reply.HeartbeatSeconds, 1, 300));
                    registered = true;
                    LogRegistered(logger, options.InstanceName, reply.Queue);
                }
                if (!interruptedReported)
                {
                    await ReportInterruptedAsync(stoppingToken);
                    interruptedReported = true;
                }
                var beat = await gateway.DeployAgents.AgentHeartbeatAsync(
                    new AgentHeartbeatRequest { InstanceName = options.InstanceName, InstanceDeploymentId = runner.Current?.ToString() ?? "" },
                    deadline: Deadline(), cancellationToken: stoppingToken);
                registered = beat.Registered;
                foreach (var id in beat.StopInstanceDeploymentIds)
                {
                    if (Guid.TryParse(id, out var stop))
                    {
                        runner.Stop(stop);
                    }
                }
                status.Connected();
            }
            catch (Exception ex) when (ex is RpcException or HttpRequestException && !stoppingToken.IsCancellationRequested)
            {
                status.Failed(ex is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : ex.Message);
                LogBeatFailed(logger, ex);
            }
            await Task.Delay(heartbeat, time, stoppingToken);
        }
    }

    /// <summary>An agent restarted mid-hook reports that event failed, so the deployment does not wait for it.</summary>
    private async Task ReportInterruptedAsync(CancellationToken cancellationToken)
    {
        if (state.ReadOngoing() is not { } ongoing)
        {
            return;
        }
        var message = $"The agent restarted during {ongoing.LifecycleEvent}; the event's scripts did not finish.";
        var now = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(time.GetUtcNow());
        var instanceId = ongoing.InstanceDeploymentId.ToString();
        await gateway.DeployAgents.ReportDeploymentEventAsync(new DeploymentEventReport
        {
            InstanceDeploymentId = instanceId, LifecycleEvent = ongoing.LifecycleEvent, Status = "Failed", StartedAt = now, FinishedAt = now, Message = message,
        }, deadline: Deadline(), cancellationToken: cancellationToken);
        await gateway.DeployAgents.CompleteInstanceDeploymentAsync(
            new CompleteInstanceDeploymentRequest { InstanceDeploymentId = instanceId, Succeeded = false, Message = message }, deadline: Deadline(), cancellationToken: cancellationToken);
        state.ClearOngoing();
        LogInterrupted(logger, ongoing.LifecycleEvent);
    }

    private DateTime Deadline() => time.GetUtcNow().UtcDateTime + CallTimeout;

    [LoggerMessage(Level = LogLevel.Information, Message = "Deploy agent {Instance} registered; deployments arrive on {Queue}")]
    private static partial void LogRegistered(ILogger logger, string instance, string queue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent heartbeat failed")]
    private static partial void LogBeatFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reported the deployment interrupted by a restart as failed at {Event}")]
    private static partial void LogInterrupted(ILogger logger, string @event);
}
