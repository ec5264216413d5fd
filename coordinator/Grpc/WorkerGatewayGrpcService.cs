using BuildFarm.Coordinator.Auth;
using Microsoft.AspNetCore.Authorization;
using BuildFarm.Coordinator.Logs;
using BuildFarm.Coordinator.Runs.Scheduling;
using BuildFarm.Coordinator.Secrets;
using BuildFarm.Protos.V1;
using Grpc.Core;

namespace BuildFarm.Coordinator.Grpc;

/// <summary>The internal API workers call: claim, heartbeat, log upload.</summary>
[Authorize(Permissions.Work)]
public sealed class WorkerGatewayGrpcService(
    JobClaimService claims,
    WorkerHeartbeats heartbeats,
    JobSecrets secrets,
    SecretStore secretStore,
    LogIngest ingest,
    ApiTokenService tokens,
    Microsoft.Extensions.Options.IOptions<Options.AuthOptions> auth) : WorkerGateway.WorkerGatewayBase
{
    // Labels are for people to read; the caps keep one worker from bloating its row.
    private const int MaxLabels = 64;
    private const int MaxLabelLength = 128;

    public override async Task<ClaimJobResponse> ClaimJob(ClaimJobRequest request, ServerCallContext context)
    {
        if (string.IsNullOrWhiteSpace(request.WorkerId))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "worker_id is required."));
        }

        var claim = await claims.ClaimAsync(
            GrpcIds.Parse(request.JobId, "job_id"), GrpcIds.Parse(request.AttemptId, "attempt_id"), request.WorkerId, context.CancellationToken);
        if (!claim.Granted)
        {
            return new ClaimJobResponse { Granted = false, Reason = claim.Reason ?? "" };
        }

        var response = new ClaimJobResponse
        {
            Granted = true,
            RunId = claim.Run!.Id.ToString(),
            Pipeline = claim.Run.PipelineName,
            PipelineVersion = claim.Run.PipelineVersion,
            Definition = claim.Definition!.Definition,
            FileName = claim.Definition.FileName,
            LeaseSeconds = (long)claim.Lease.TotalSeconds,
            LogSeqStart = claim.LogSeqStart,
        };
        response.Variables.Add(claim.Run.Variables);
        var job = claim.Run.Jobs.First(j => j.AttemptId == GrpcIds.Parse(request.AttemptId, "attempt_id"));
        if (BatchMemberSpecs.For(claim.Run, claim.Definition, job) is { } member)
        {
            // A member with its own (inline) buildspec runs that one, and its secrets are that one's.
            response.Batch = member.Spec;
            if (member.BuildSpec is { } inline)
            {
                response.Definition = inline;
                response.FileName = $"{claim.Definition.FileName} ({job.BatchIdentifier})";
            }
        }
        var (secretVariables, missing) = await secrets.ResolveAsync(response.Definition, response.FileName, context.CancellationToken);
        response.SecretVariables.Add(secretVariables);
        response.MissingSecrets.AddRange(missing);
        if (PipelineActionSpecs.For(claim.Definition, job) is { } action)
        {
            response.Action = action;
            await AddGitCredentialsAsync(response, action, context.CancellationToken);
        }
        return response;
    }

    /// <summary>A source action's credentials travel as a secret variable, so the worker masks them in the log.</summary>
    private async Task AddGitCredentialsAsync(ClaimJobResponse response, PipelineActionSpec action, CancellationToken cancellationToken)
    {
        if (!action.Configuration.TryGetValue(Core.Definitions.Pipelines.ActionConfigurationKeys.CredentialsSecret, out var name))
        {
            return;
        }
        try
        {
            var values = await secretStore.ResolveAsync([name], cancellationToken);
            if (values.TryGetValue(name, out var value))
            {
                response.SecretVariables[Core.Definitions.Pipelines.ActionConfigurationKeys.GitCredentialsVariable] = value;
                return;
            }
        }
        catch (Errors.ConflictException)
        {
            // No secret key configured: reported below as a missing secret, like a buildspec's.
        }
        response.MissingSecrets.Add(name);
    }

    public override async Task<HeartbeatResponse> Heartbeat(HeartbeatRequest request, ServerCallContext context)
    {
        if (string.IsNullOrWhiteSpace(request.WorkerId))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "worker_id is required."));
        }

        var attempts = request.AttemptIds.Select(a => GrpcIds.Parse(a, "attempt_ids")).ToList();
        var handedBack = request.HandedBackAttemptIds.Select(a => GrpcIds.Parse(a, "handed_back_attempt_ids")).ToList();
        if (handedBack.Count > 0)
        {
            await heartbeats.HandBackAsync(request.WorkerId, handedBack, context.CancellationToken);
        }

        if (request.Labels.Count > MaxLabels || request.Labels.Any(l => l.Length is 0 or > MaxLabelLength))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"labels: at most {MaxLabels}, each 1-{MaxLabelLength} characters (got {request.Labels.Count}, the longest {request.Labels.Select(l => l.Length).DefaultIfEmpty().Max()})."));
        }

        var cancel = await heartbeats.BeatAsync(request.WorkerId, attempts, request.FreeSlots, request.Labels, context.CancellationToken);
        var response = new HeartbeatResponse();
        response.CancelAttemptIds.AddRange(cancel.Select(a => a.ToString()));
        return response;
    }

    public override Task StreamLogs(IAsyncStreamReader<LogUpload> requestStream, IServerStreamWriter<LogAck> responseStream, ServerCallContext context) =>
        ingest.RunAsync(
            auth.Value.Enabled ? new ReauthenticatingReader<LogUpload>(requestStream, context.RequestHeaders.GetValue("authorization"), tokens) : requestStream,
            responseStream,
            context.CancellationToken);
}
