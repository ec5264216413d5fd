using BuildFarm.Contracts.Commands;
using BuildFarm.Protos.V1;
using BuildFarm.Worker.Coordinator;
using BuildFarm.Worker.Options;
using Grpc.Core;
using MassTransit;
using Microsoft.Extensions.Options;

namespace BuildFarm.Worker.Jobs;

/// <summary>
/// Takes one RunJob delivery: waits for a free slot, claims the attempt from the coordinator, hands it to the
/// executor and returns, so the delivery is acknowledged at once. A build never holds its delivery (RabbitMQ
/// closes channels past consumer_timeout); the coordinator's lease watches the job instead.
/// </summary>
public sealed partial class JobIntake(
    WorkerGatewayClient gateway,
    WorkerSlots slots,
    RunningJobs running,
    JobDrain drain,
    JobExecutor executor,
    IOptions<WorkerOptions> options,
    ILogger<JobIntake> logger)
{
    private static readonly TimeSpan RefusedPause = TimeSpan.FromSeconds(1);

    /// <param name="context">The delivery.</param>
    /// <param name="assigned">
    /// True when it came from this worker's own queue (a job that needs labels, sent here by the coordinator): a
    /// refused claim then drops it, since the coordinator sends such a job to another worker itself.
    /// </param>
    public async Task TakeAsync(ConsumeContext<RunJob> context, bool assigned)
    {
        var message = context.Message;
        using var scope = logger.BeginScope(new Dictionary<string, object>
        {
            ["RunId"] = message.RunId,
            ["JobId"] = message.JobId,
            ["AttemptId"] = message.AttemptId,
            ["WorkerId"] = options.Value.Id,
        });
        // A delivery waiting for a slot when the worker starts draining goes back at once. Held until the bus stopped, its
        // consumer would end cancelled, and a cancelled consume is retried, then dead-lettered: the job would stay Queued.
        using (var slotOrDrain = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, drain.Draining))
        {
            try
            {
                await slots.WaitAsync(slotOrDrain.Token);
            }
            catch (OperationCanceledException) when (drain.IsDraining && !context.CancellationToken.IsCancellationRequested)
            {
                await SendBackAsync(context);
                return;
            }
        }

        if (drain.IsDraining)
        {
            slots.Release();
            await SendBackAsync(context);
            return;
        }

        ClaimJobResponse claim;
        try
        {
            claim = await gateway.Gateway.ClaimJobAsync(
                new ClaimJobRequest { JobId = message.JobId.ToString(), AttemptId = message.AttemptId.ToString(), WorkerId = options.Value.Id },
                deadline: DateTime.UtcNow.AddSeconds(30),
                cancellationToken: context.CancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.FailedPrecondition)
        {
            // An operator drained or disabled this worker: the job goes back to the queue for another worker.
            slots.Release();
            LogRefused(logger, ex.Status.Detail);
            if (!assigned)
            {
                await SendBackAsync(context);
            }

            return;
        }
        catch
        {
            // Not claimed: give the slot back and let the bus redeliver (retry policy) to us or another worker.
            slots.Release();
            throw;
        }

        if (!claim.Granted)
        {
            // Redelivered, cancelled meanwhile, or taken by another worker: nothing to run.
            slots.Release();
            LogNotGranted(logger, claim.Reason);
            return;
        }

        var job = new ClaimedJob(
            message.RunId,
            message.JobId,
            message.AttemptId,
            message.Attempt,
            claim.Pipeline,
            claim.PipelineVersion,
            claim.Definition,
            claim.FileName,
            claim.Variables)
        {
            SecretVariables = claim.SecretVariables,
            MissingSecrets = claim.MissingSecrets,
            LogSeqStart = claim.LogSeqStart,
            Action = claim.Action is { } action
                ? new Pipelines.PipelineActionJob(action.Stage, action.Name, action.Category, action.Configuration, action.EnvironmentVariables,
                    [.. action.InputArtifacts], [.. action.OutputArtifacts])
                : null,
            BuildTimeout = message.BuildTimeoutSeconds is > 0 and var seconds ? TimeSpan.FromSeconds(seconds) : null,
            Batch = claim.Batch is { } batch
                ? new BatchMemberJob(batch.Identifier, batch.Kind, batch.Variables, batch.Environment, batch.Buildspec == "inline")
                : null,
        };
        var cancel = running.Register(job.AttemptId);
        running.Attach(job.AttemptId, Task.Run(() => RunThenReleaseAsync(job, cancel), CancellationToken.None));
    }

    /// <summary>
    /// Puts the delivery back at the end of the queue it came from, unclaimed, for another worker (or this one after a
    /// restart; a labelled job's worker that does not come back gets it sent elsewhere by the coordinator). The pause keeps
    /// a farm whose only worker is draining from passing it round hot. Neither step is cancelled by the bus stopping:
    /// the stop waits for them, and the send must happen for the job not to be lost.
    /// </summary>
    private async Task SendBackAsync(ConsumeContext<RunJob> context)
    {
        await Task.Delay(RefusedPause, CancellationToken.None);
        var queue = await context.GetSendEndpoint(context.ReceiveContext.InputAddress);
        await queue.Send(context.Message, CancellationToken.None);
    }

    private async Task RunThenReleaseAsync(ClaimedJob job, CancellationToken cancel)
    {
        try
        {
            await executor.RunAsync(job, cancel);
        }
        catch (Exception ex)
        {
            // The job's own failures are reported by the executor; this is the worker failing it
            // (bus away for good). The lease will fail the job on the coordinator.
            LogExecutorCrashed(logger, ex, job.JobId);
        }
        finally
        {
            running.Remove(job.AttemptId);
            slots.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Claim refused, job handed back: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Claim not granted: {Reason}")]
    private static partial void LogNotGranted(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Executor crashed on job {JobId}")]
    private static partial void LogExecutorCrashed(ILogger logger, Exception exception, Guid jobId);
}
