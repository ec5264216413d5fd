using BuildFarm.Protos.V1;
using BuildFarm.Worker.Coordinator;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace BuildFarm.Worker.Deploy;

/// <summary>Reports each lifecycle event to the coordinator as it starts and ends, retrying briefly while it is away.</summary>
public sealed partial class GrpcDeploymentProgress(WorkerGatewayClient gateway, Guid instanceDeploymentId, TimeProvider time, ILogger logger) : IDeploymentProgress
{
    private const int MaxTries = 5;

    public Task EventStartedAsync(string lifecycleEvent, DateTimeOffset at, CancellationToken cancellationToken) =>
        SendAsync(new DeploymentEventReport
        {
            InstanceDeploymentId = instanceDeploymentId.ToString(), LifecycleEvent = lifecycleEvent, Status = "InProgress", StartedAt = Timestamp.FromDateTimeOffset(at),
        }, cancellationToken);

    public Task EventFinishedAsync(DeploymentEventResult result, CancellationToken cancellationToken)
    {
        var report = new DeploymentEventReport
        {
            InstanceDeploymentId = instanceDeploymentId.ToString(),
            LifecycleEvent = result.Event,
            Status = result.Status.ToString(),
            StartedAt = Timestamp.FromDateTimeOffset(result.StartedAt),
            FinishedAt = Timestamp.FromDateTimeOffset(result.FinishedAt),
            HookMilliseconds = (long)result.HookTime.TotalMilliseconds,
            Message = result.Message ?? "",
        };
        if (result.ExitCode is { } exit)
        {
            report.ExitCode = exit;
        }
        return SendAsync(report, cancellationToken);
    }

    private async Task SendAsync(DeploymentEventReport report, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await gateway.DeployAgents.ReportDeploymentEventAsync(report, deadline: time.GetUtcNow().UtcDateTime.AddSeconds(10), cancellationToken: cancellationToken);
                return;
            }
            catch (RpcException ex) when (attempt < MaxTries && ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
            {
                // Progress is informational: after a few tries the final result (retried longer) still tells the story.
                LogRetry(logger, ex, report.LifecycleEvent, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), time, cancellationToken);
            }
            catch (RpcException ex) when (attempt >= MaxTries)
            {
                LogGaveUp(logger, ex, report.LifecycleEvent);
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reporting {Event} failed (try {Attempt}); retrying")]
    private static partial void LogRetry(ILogger logger, Exception exception, string @event, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gave up reporting {Event}; the instance's final result will still be reported")]
    private static partial void LogGaveUp(ILogger logger, Exception exception, string @event);
}
