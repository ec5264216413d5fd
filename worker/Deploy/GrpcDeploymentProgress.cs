using System.Threading.Channels;
using BuildFarm.Protos.V1;
using BuildFarm.Worker.Coordinator;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace BuildFarm.Worker.Deploy;

/// <summary>
/// Reports each lifecycle event to the coordinator as it starts and ends, in order, from a background loop:
/// the lifecycle never waits on the network between two events. <see cref="DrainAsync"/> is awaited before
/// the instance's result is reported, so the history holds every event when the rollout moves on.
/// </summary>
public sealed partial class GrpcDeploymentProgress : IDeploymentProgress, IAsyncDisposable
{
    private const int MaxTries = 5;

    private readonly WorkerGatewayClient _gateway;
    private readonly Guid _instanceDeploymentId;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    // Two reports per lifecycle event: a bound that is never reached, kept so nothing can grow without limit.
    private readonly Channel<DeploymentEventReport> _reports = Channel.CreateBounded<DeploymentEventReport>(64);
    private readonly Task _sender;

    public GrpcDeploymentProgress(WorkerGatewayClient gateway, Guid instanceDeploymentId, TimeProvider time, ILogger logger)
    {
        _gateway = gateway;
        _instanceDeploymentId = instanceDeploymentId;
        _time = time;
        _logger = logger;
        _sender = Task.Run(SendAllAsync);
    }

    public Task EventStartedAsync(string lifecycleEvent, DateTimeOffset at, CancellationToken cancellationToken) =>
        _reports.Writer.WriteAsync(new DeploymentEventReport
        {
            InstanceDeploymentId = _instanceDeploymentId.ToString(), LifecycleEvent = lifecycleEvent, Status = "InProgress", StartedAt = Timestamp.FromDateTimeOffset(at),
        }, cancellationToken).AsTask();

    public Task EventFinishedAsync(DeploymentEventResult result, CancellationToken cancellationToken)
    {
        var report = new DeploymentEventReport
        {
            InstanceDeploymentId = _instanceDeploymentId.ToString(),
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
        return _reports.Writer.WriteAsync(report, cancellationToken).AsTask();
    }

    /// <summary>Waits until every report was sent (or given up on).</summary>
    public async Task DrainAsync()
    {
        _reports.Writer.TryComplete();
        await _sender;
    }

    public async ValueTask DisposeAsync() => await DrainAsync();

    private async Task SendAllAsync()
    {
        await foreach (var report in _reports.Reader.ReadAllAsync())
        {
            await SendAsync(report);
        }
    }

    private async Task SendAsync(DeploymentEventReport report)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _gateway.DeployAgents.ReportDeploymentEventAsync(report, deadline: _time.GetUtcNow().UtcDateTime.AddSeconds(10));
                return;
            }
            catch (RpcException ex) when (attempt < MaxTries && ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
            {
                // Progress is informational: after a few tries the final result (retried longer) still tells the story.
                LogRetry(_logger, ex, report.LifecycleEvent, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), _time);
            }
            catch (RpcException ex)
            {
                LogGaveUp(_logger, ex, report.LifecycleEvent);
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reporting {Event} failed (try {Attempt}); retrying")]
    private static partial void LogRetry(ILogger logger, Exception exception, string @event, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gave up reporting {Event}; the instance's final result will still be reported")]
    private static partial void LogGaveUp(ILogger logger, Exception exception, string @event);
}
