using System.Runtime.CompilerServices;
using BuildFarm.Protos.V1;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Grpc.Net.Client.Configuration;

namespace BuildFarm.Client;

/// <summary>Typed async access to a BuildFarm coordinator over gRPC.</summary>
public sealed partial class BuildFarmClient : IDisposable
{
    private static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(30);
    private readonly GrpcChannel _channel;
    private readonly PipelineService.PipelineServiceClient _pipelines;
    private readonly RunService.RunServiceClient _runs;
    private readonly LogService.LogServiceClient _logs;
    private readonly TokenService.TokenServiceClient _tokens;
    private readonly CallInvoker _invoker;

    /// <summary>Connects to the coordinator's gRPC address, e.g. <c>http://127.0.0.1:8081</c>.</summary>
    /// <param name="address">The coordinator's gRPC address.</param>
    /// <param name="token">An API token (bf_…), sent with every call; null for a coordinator without auth (the embedded demo).</param>
    public BuildFarmClient(Uri address, string? token = null)
    {
        _channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            MaxReceiveMessageSize = 16 * 1024 * 1024,
            ServiceConfig = new ServiceConfig { MethodConfigs = { TransientRetries() } },
        });
        var invoker = string.IsNullOrEmpty(token)
            ? _channel.CreateCallInvoker()
            : _channel.Intercept(metadata =>
            {
                metadata.Add("authorization", $"Bearer {token}");
                return metadata;
            });
        _invoker = invoker;
        _pipelines = new PipelineService.PipelineServiceClient(invoker);
        _runs = new RunService.RunServiceClient(invoker);
        _logs = new LogService.LogServiceClient(invoker);
        _tokens = new TokenService.TokenServiceClient(invoker);
    }

    /// <summary>Creates an API token (admin only). The returned <c>Secret</c> is the token: it is never shown again.</summary>
    /// <param name="name">What the token is for.</param>
    /// <param name="role">admin, operator, viewer, trigger or worker.</param>
    /// <param name="expiresInDays">0: never expires.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<CreatedToken> CreateTokenAsync(string name, string role, int expiresInDays = 0, CancellationToken cancellationToken = default) =>
        CallAsync(() => _tokens.CreateTokenAsync(new CreateTokenRequest { Name = name, Role = role, ExpiresInDays = expiresInDays }, deadline: Deadline(), cancellationToken: cancellationToken).ResponseAsync);

    /// <summary>Every token with its role and state (admin only); never secrets.</summary>
    public async Task<IReadOnlyList<ApiToken>> ListTokensAsync(CancellationToken cancellationToken = default) =>
        (await CallAsync(() => _tokens.ListTokensAsync(new ListTokensRequest(), deadline: Deadline(), cancellationToken: cancellationToken).ResponseAsync)).Tokens;

    /// <summary>Revokes a token (admin only); every coordinator refuses it within a second.</summary>
    public Task<ApiToken> RevokeTokenAsync(string id, CancellationToken cancellationToken = default) =>
        CallAsync(() => _tokens.RevokeTokenAsync(new RevokeTokenRequest { Id = id }, deadline: Deadline(), cancellationToken: cancellationToken).ResponseAsync);

    /// <summary>Stores a new version of a pipeline; throws <see cref="BuildFarmException"/> with every error when it is invalid.</summary>
    public Task<Pipeline> ApplyPipelineAsync(string name, string definition, string fileName = "buildspec.yml", CancellationToken cancellationToken = default) =>
        CallAsync(() => _pipelines.ApplyPipelineAsync(new ApplyPipelineRequest { Name = name, Definition = definition, FileName = fileName }, deadline: Deadline(), cancellationToken: cancellationToken).ResponseAsync);

    /// <summary>A pipeline's latest version, or the given one.</summary>
    public Task<Pipeline> GetPipelineAsync(string name, int version = 0, CancellationToken cancellationToken = default) =>
        CallAsync(() => _pipelines.GetPipelineAsync(new GetPipelineRequest { Name = name, Version = version }, deadline: Deadline(), cancellationToken: cancellationToken).ResponseAsync);

    /// <summary>
    /// Deletes a pipeline: it leaves lists and cannot be triggered; its runs, logs and artifacts stay readable.
    /// A <see cref="BuildFarmException"/> with FAILED_PRECONDITION while a run of it is queued or running.
    /// </summary>
    public Task DeletePipelineAsync(string name, CancellationToken cancellationToken = default) =>
        CallAsync(() => _pipelines.DeletePipelineAsync(new DeletePipelineRequest { Name = name }, deadline: Deadline(), cancellationToken: cancellationToken).ResponseAsync);

    /// <summary>Every pipeline, each at its latest version.</summary>
    public async Task<IReadOnlyList<Pipeline>> ListPipelinesAsync(CancellationToken cancellationToken = default) =>
        (await CallAsync(() => _pipelines.ListPipelinesAsync(new ListPipelinesRequest(), deadline: Deadline(), cancellationToken: cancellationToken).ResponseAsync)).Pipelines;

    /// <summary>
    /// One page of runs, newest first, without their jobs (<see cref="GetRunAsync"/> has them). Pass the
    /// response's <c>NextPageToken</c> back as <paramref name="pageToken"/> until it is empty.
    /// </summary>
    /// <param name="pipeline">Only this pipeline's runs; null for all.</param>
    /// <param name="status">Only runs in this status; null for all.</param>
    /// <param name="pageSize">Runs per page: 0 means 50, more than 500 is refused.</param>
    /// <param name="pageToken">The previous page's token, or null for the first page.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<ListRunsResponse> ListRunsAsync(string? pipeline = null, RunStatus? status = null, int pageSize = 0, string? pageToken = null, CancellationToken cancellationToken = default)
    {
        var request = new ListRunsRequest
        {
            Pipeline = pipeline ?? "",
            Status = status ?? RunStatus.Unspecified,
            PageSize = pageSize,
            PageToken = pageToken ?? "",
        };
        return CallAsync(() => _runs.ListRunsAsync(request, deadline: Deadline(), cancellationToken: cancellationToken).ResponseAsync);
    }

    /// <summary>
    /// Triggers a run of the pipeline's latest version. Without an <paramref name="idempotencyKey"/> the
    /// client makes one for this call, so its transparent retries never start a second run.
    /// </summary>
    public Task<Run> TriggerRunAsync(string pipeline, IReadOnlyDictionary<string, string>? variables = null, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        var request = new TriggerRunRequest { Pipeline = pipeline, IdempotencyKey = idempotencyKey ?? $"sdk-{Guid.NewGuid():N}" };
        foreach (var (key, value) in variables ?? new Dictionary<string, string>())
        {
            request.Variables[key] = value;
        }

        return CallAsync(() => _runs.TriggerRunAsync(request, deadline: Deadline(), cancellationToken: cancellationToken).ResponseAsync);
    }

    /// <summary>A run with its jobs and phases.</summary>
    public Task<Run> GetRunAsync(string runId, CancellationToken cancellationToken = default) =>
        CallAsync(() => _runs.GetRunAsync(new GetRunRequest { RunId = runId }, deadline: Deadline(), cancellationToken: cancellationToken).ResponseAsync);

    /// <summary>Cancels a run: its processes get TERM, a grace period, then KILL.</summary>
    public Task<Run> CancelRunAsync(string runId, CancellationToken cancellationToken = default) =>
        CallAsync(() => _runs.CancelRunAsync(new CancelRunRequest { RunId = runId }, deadline: Deadline(), cancellationToken: cancellationToken).ResponseAsync);

    /// <summary>
    /// A new run of a finished run's exact pipeline version with its variables; throws with
    /// <c>FailedPrecondition</c> while the run has not finished.
    /// </summary>
    public Task<Run> RetryRunAsync(string runId, CancellationToken cancellationToken = default) =>
        CallAsync(() => _runs.RetryRunAsync(new RetryRunRequest { RunId = runId }, deadline: Deadline(), cancellationToken: cancellationToken).ResponseAsync);

    /// <summary>
    /// The run's log from <paramref name="offset"/> (or its last <paramref name="tailLines"/> lines),
    /// then its live tail; ends when the run ends.
    /// </summary>
    public async IAsyncEnumerable<LogSegment> FollowLogAsync(string runId, long offset = 0, int tailLines = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var call = _logs.FollowLog(new FollowLogRequest { RunId = runId, Offset = offset, TailLines = tailLines }, cancellationToken: cancellationToken);
        await foreach (var segment in ReadAllAsync(call, cancellationToken))
        {
            yield return segment;
        }
    }

    /// <summary>The whole stored log, read in pieces.</summary>
    public Task<byte[]> GetLogAsync(string runId, CancellationToken cancellationToken = default) => GetLogAsync(runId, "", cancellationToken);

    /// <summary>
    /// One job's whole stored log: <paramref name="job"/> is its id, batch identifier (a batch's member build) or name
    /// (a pipeline's action); empty is the run's first job.
    /// </summary>
    public async Task<byte[]> GetLogAsync(string runId, string job, CancellationToken cancellationToken = default)
    {
        using var all = new MemoryStream();
        long offset = 0;
        while (true)
        {
            var piece = await CallAsync(() => _logs.GetLogAsync(new GetLogRequest { RunId = runId, Offset = offset, Job = job ?? "" }, deadline: Deadline(), cancellationToken: cancellationToken).ResponseAsync);
            piece.Data.WriteTo(all);
            if (piece.NextOffset == offset || piece.Data.IsEmpty)
            {
                return all.ToArray();
            }

            offset = piece.NextOffset;
        }
    }

    /// <summary>Polls until the run is Succeeded, Failed or Cancelled.</summary>
    public async Task<Run> WaitForRunAsync(string runId, TimeSpan poll, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var run = await GetRunAsync(runId, cancellationToken);
            if (run.Status is RunStatus.Succeeded or RunStatus.Failed or RunStatus.Cancelled)
            {
                return run;
            }

            await Task.Delay(poll, cancellationToken);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _channel.Dispose();

    /// <summary>
    /// UNAVAILABLE (coordinator restarting, database briefly gone) is retried with backoff for calls that
    /// are safe to repeat: reads, cancel, and triggers (each carries an idempotency key, see
    /// <see cref="TriggerRunAsync"/>). Creating tokens and applying pipelines are not: a repeat would
    /// make a second one.
    /// </summary>
    private static MethodConfig TransientRetries()
    {
        var config = new MethodConfig
        {
            RetryPolicy = new RetryPolicy
            {
                MaxAttempts = 5,
                InitialBackoff = TimeSpan.FromMilliseconds(200),
                MaxBackoff = TimeSpan.FromSeconds(3),
                BackoffMultiplier = 2,
                RetryableStatusCodes = { StatusCode.Unavailable },
            },
        };
        foreach (var (service, method) in new[]
        {
            ("PipelineService", "GetPipeline"), ("PipelineService", "ListPipelines"),
            ("RunService", "TriggerRun"), ("RunService", "GetRun"), ("RunService", "CancelRun"), ("RunService", "ListRuns"),
            ("LogService", "GetLog"), ("TokenService", "ListTokens"), ("TokenService", "RevokeToken"),
            ("ArtifactService", "ListArtifacts"), ("WorkerService", "ListWorkers"),
            ("DeployService", "GetDeployment"), ("DeployService", "ListDeployments"),
        })
        {
            config.Names.Add(new MethodName { Service = $"buildfarm.v1.{service}", Method = method });
        }

        return config;
    }

    private static DateTime Deadline() => DateTime.UtcNow + DefaultDeadline;

    private static async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (RpcException ex)
        {
            throw Translate(ex);
        }
    }

    /// <summary>A server stream's messages, with its failure as a <see cref="BuildFarmException"/>.</summary>
    private static async IAsyncEnumerable<T> ReadAllAsync<T>(AsyncServerStreamingCall<T> call, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            bool more;
            try
            {
                more = await call.ResponseStream.MoveNext(cancellationToken);
            }
            catch (RpcException ex)
            {
                throw Translate(ex);
            }

            if (!more)
            {
                yield break;
            }

            yield return call.ResponseStream.Current;
        }
    }

    private static BuildFarmException Translate(RpcException ex)
    {
        var violations = ex.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations
            .Select(v => new FieldViolation(v.Field, v.Description))
            .ToList() ?? [];
        return new BuildFarmException(ex.StatusCode, ex.Status.Detail, violations, ex);
    }
}
