using System.Threading.Channels;
using BuildFarm.Contracts.Commands;
using BuildFarm.Core.Definitions;
using BuildFarm.Protos.V1;
using BuildFarm.Worker.Coordinator;
using BuildFarm.Worker.Logs;
using BuildFarm.Worker.Options;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace BuildFarm.Worker.Deploy;

/// <summary>
/// Runs the deployments the consumer hands over, one at a time (a host takes one revision at a time, as
/// with CodeDeploy). Each is claimed from the coordinator first, so a redelivered message runs nothing;
/// hook output goes over the build log path (<see cref="LogShipper"/>), events and the result over gRPC.
/// </summary>
public sealed partial class AgentDeploymentRunner(
    WorkerGatewayClient gateway,
    DeploymentExecutor executor,
    AgentStatus status,
    TimeProvider time,
    IOptions<AgentOptions> agentOptions,
    IOptions<LogOptions> logOptions,
    ILogger<AgentDeploymentRunner> logger) : BackgroundService
{
    private static readonly TimeSpan LogDrainTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan ReportRetryLimit = TimeSpan.FromMinutes(15);

    // Deployments come one per instance deployment; far more queued than this means something is wrong upstream.
    private readonly Channel<DeployRevision> _queue = Channel.CreateBounded<DeployRevision>(new BoundedChannelOptions(256) { SingleReader = true });
    private readonly Lock _lock = new();
    private readonly HashSet<Guid> _seen = [];
    private readonly HashSet<Guid> _stopped = [];
    private CancellationTokenSource? _currentStop;
    private Guid? _current;

    /// <summary>The instance deployment running now, for heartbeats.</summary>
    public Guid? Current
    {
        get
        {
            lock (_lock)
            {
                return _current;
            }
        }
    }

    /// <summary>Takes a deployment from the consumer; returns at once, so the delivery is acknowledged at once.</summary>
    public bool Enqueue(DeployRevision message)
    {
        lock (_lock)
        {
            if (!_seen.Add(message.InstanceDeploymentId))
            {
                return false;
            }
        }
        return _queue.Writer.TryWrite(message);
    }

    /// <summary>The coordinator stopped this deployment: stop its running hook (TERM, grace, KILL) and run no further event.</summary>
    public void Stop(Guid instanceDeploymentId)
    {
        lock (_lock)
        {
            _stopped.Add(instanceDeploymentId);
            if (_current == instanceDeploymentId)
            {
                try
                {
                    _currentStop?.Cancel();
                }
                catch (ObjectDisposedException)
                {
                    // The deployment ended between the check and the cancel: nothing left to stop.
                }
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var message in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            using var scope = logger.BeginScope(new Dictionary<string, object>
            {
                ["DeploymentId"] = message.DeploymentId,
                ["InstanceDeploymentId"] = message.InstanceDeploymentId,
                ["Instance"] = agentOptions.Value.InstanceName,
            });
            try
            {
                await RunOneAsync(message, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The coordinator stayed away past every retry, or the agent itself broke: the next deployment
                // must still run, and the coordinator's sweeper fails this instance if it never hears back.
                LogRunFailed(logger, ex);
                await ReportCrashAsync(message.InstanceDeploymentId, ex);
            }
            finally
            {
                lock (_lock)
                {
                    _current = null;
                    _currentStop = null;
                }
                status.Deploying(null);
            }
        }
    }

    private async Task RunOneAsync(DeployRevision message, CancellationToken stoppingToken)
    {
        var claim = await RetryAsync(() => gateway.DeployAgents.StartInstanceDeploymentAsync(
            new StartInstanceDeploymentRequest { InstanceDeploymentId = message.InstanceDeploymentId.ToString(), InstanceName = agentOptions.Value.InstanceName },
            deadline: time.GetUtcNow().UtcDateTime.AddSeconds(10), cancellationToken: stoppingToken).ResponseAsync, stoppingToken);
        if (!claim.Granted)
        {
            LogNotGranted(logger, claim.Reason);
            return;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        bool stoppedAlready;
        lock (_lock)
        {
            _current = message.InstanceDeploymentId;
            _currentStop = stop;
            stoppedAlready = _stopped.Contains(message.InstanceDeploymentId);
        }
        if (stoppedAlready)
        {
            await stop.CancelAsync();
        }
        status.Deploying(message.InstanceDeploymentId);

        var request = new DeploymentRequest(
            message.DeploymentId, message.ApplicationName, message.DeploymentGroupId, message.DeploymentGroupName, message.Revision,
            message.IgnoreApplicationStopFailures, ParseBehavior(message.FileExistsBehavior))
        {
            InstanceDeploymentId = message.InstanceDeploymentId,
        };
        DeploymentOutcome outcome;
        await using (var shipper = new LogShipper(gateway, message.InstanceDeploymentId, Guid.Parse(claim.AttemptId), time, logger, logOptions.Value, claim.LogSeqStart))
        {
            using var log = new LogBatcher(shipper, time, logOptions.Value.MaxLogBytes, TimeSpan.FromMilliseconds(logOptions.Value.FlushMilliseconds));
            log.System($"Deployment {message.DeploymentId} of {message.ApplicationName} to {agentOptions.Value.InstanceName} ({message.DeploymentGroupName}), revision {message.Revision}");
            await using var progress = new GrpcDeploymentProgress(gateway, message.InstanceDeploymentId, time, logger);
            outcome = await executor.RunAsync(request, progress, log, stop.Token);
            log.System(outcome.Succeeded ? "Deployment SUCCEEDED on this instance" : $"Deployment FAILED on this instance: {outcome.FailedEvent?.Message ?? "stopped"}");
            log.Flush();
            if (!await shipper.CompleteAsync(LogDrainTimeout, CancellationToken.None))
            {
                LogShipTimedOut(logger, shipper.Acked);
            }
            await progress.DrainAsync();
        }

        var failed = outcome.FailedEvent;
        var summary = outcome.Succeeded ? "" : failed is null ? "The deployment was stopped." : $"{failed.Event} failed: {failed.Message}";
        await RetryAsync(() => gateway.DeployAgents.CompleteInstanceDeploymentAsync(
            new CompleteInstanceDeploymentRequest { InstanceDeploymentId = message.InstanceDeploymentId.ToString(), Succeeded = outcome.Succeeded, Message = summary },
            deadline: time.GetUtcNow().UtcDateTime.AddSeconds(10), cancellationToken: CancellationToken.None).ResponseAsync, CancellationToken.None);
    }

    private async Task ReportCrashAsync(Guid instanceDeploymentId, Exception exception)
    {
        try
        {
            await gateway.DeployAgents.CompleteInstanceDeploymentAsync(
                new CompleteInstanceDeploymentRequest { InstanceDeploymentId = instanceDeploymentId.ToString(), Succeeded = false, Message = $"The agent failed: {exception.Message}" },
                deadline: time.GetUtcNow().UtcDateTime.AddSeconds(10));
        }
        catch (RpcException)
        {
            // The coordinator is away too; it fails the instance when this agent's heartbeats stop or the operator stops the deployment.
        }
    }

    private static AppSpecFileExistsBehavior? ParseBehavior(string? text) => text switch
    {
        "DISALLOW" => AppSpecFileExistsBehavior.Disallow,
        "OVERWRITE" => AppSpecFileExistsBehavior.Overwrite,
        "RETAIN" => AppSpecFileExistsBehavior.Retain,
        _ => null,
    };

    /// <summary>Retries while the coordinator is unreachable (bounded), so a coordinator restart does not lose a result.</summary>
    private async Task<T> RetryAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + ReportRetryLimit;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal && time.GetUtcNow() < deadline)
            {
                LogRetry(logger, ex, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 200 * attempt)), time, cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Instance deployment not granted: {Reason}")]
    private static partial void LogNotGranted(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Calling the coordinator failed (try {Attempt}); retrying")]
    private static partial void LogRetry(ILogger logger, Exception exception, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "The deployment could not be run or reported")]
    private static partial void LogRunFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The deployment log was not completely acknowledged in time (acked up to {Acked})")]
    private static partial void LogShipTimedOut(ILogger logger, long acked);
}
