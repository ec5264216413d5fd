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
    /// <summary>How long a unary call may take, retries included, unless the constructor is given another.</summary>
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(30);
    private readonly TimeSpan _deadline;
    private readonly GrpcChannel _channel;
    private readonly PipelineService.PipelineServiceClient _pipelines;
    private readonly RunService.RunServiceClient _runs;
    private readonly LogService.LogServiceClient _logs;
    private readonly TokenService.TokenServiceClient _tokens;
    private readonly CallInvoker _invoker;

    /// <summary>Connects to the coordinator's gRPC address, e.g. <c>http://127.0.0.1:8081</c>.</summary>
    /// <param name="address">The coordinator's gRPC address.</param>
    /// <param name="token">An API token (bf_…), sent with every call; null for a coordinator without auth (the embedded demo).</param>
    /// <param name="deadline">
    /// How long each unary call may take, its transparent retries included (default <see cref="DefaultDeadline"/>); past it the
    /// call fails with DEADLINE_EXCEEDED. Streams (following a log, downloading an artifact) have none: cancel them instead.
    /// </param>
    public BuildFarmClient(Uri address, string? token = null, TimeSpan? deadline = null)
    {
        _deadline = deadline is { } given && given > TimeSpan.Zero ? given : DefaultDeadline;
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
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<IReadOnlyList<ApiToken>> ListTokensAsync(CancellationToken cancellationToken = default) =>
        (await CallAsync(() => _tokens.ListTokensAsync(new ListTokensRequest(), deadline: Deadline(), cancellationToken: cancellationToken).ResponseAsync)).Tokens;

    /// <summary>Revokes a token (admin only); every coordinator refuses it within a second.</summary>
    /// <param name="id">The token's id (not its secret).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<ApiToken> RevokeTokenAsync(string id, CancellationToken cancellationToken = default) =>
        CallAsync(() => _tokens.RevokeTokenAsync(new RevokeTokenRequest { Id = id }, deadline: Deadline(), cancellationToken: cancellationToken).ResponseAsync);

    /// <summary>Stores a new version of a pipeline (admin); throws <see cref="BuildFarmException"/> with every error when it is invalid.</summary>
    /// <param name="name">The pipeline's name; a new name creates it.</param>
    /// <param name="definition">The buildspec.yml or pipeline.yml text, stored verbatim.</param>
    /// <param name="fileName">Named in error locations; <c>pipeline.yml</c> (or a <c>version: 1</c> file with stages) makes it a pipeline file.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored version.</returns>
    /// <exception cref="BuildFarmException">INVALID_ARGUMENT with one <see cref="FieldViolation"/> per error (<c>file:line:col: error: message</c>).</exception>
    public Task<Pipeline> ApplyPipelineAsync(string name, string definition, string fileName = "buildspec.yml", CancellationToken cancellationToken = default) =>
        ApplyPipelineAsync(name, definition, fileName, [], cancellationToken);

    /// <summary>Stores a new version whose jobs run only on workers advertising every one of <paramref name="labels"/>.</summary>
    public Task<Pipeline> ApplyPipelineAsync(string name, string definition, string fileName, IEnumerable<string> labels, CancellationToken cancellationToken = default) =>
        CallAsync(() => _pipelines.ApplyPipelineAsync(new ApplyPipelineRequest { Name = name, Definition = definition, FileName = fileName, Labels = { labels } }, deadline: Deadline(), cancellationToken: cancellationToken).ResponseAsync);

    /// <summary>A pipeline's latest version, or the given one.</summary>
    /// <param name="name">The pipeline's name.</param>
    /// <param name="version">0 for the latest version.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="BuildFarmException">NOT_FOUND for an unknown (or deleted) pipeline or version.</exception>
    public Task<Pipeline> GetPipelineAsync(string name, int version = 0, CancellationToken cancellationToken = default) =>
        CallAsync(() => _pipelines.GetPipelineAsync(new GetPipelineRequest { Name = name, Version = version }, deadline: Deadline(), cancellationToken: cancellationToken).ResponseAsync);

    /// <summary>
    /// Deletes a pipeline: it leaves lists and cannot be triggered; its runs, logs and artifacts stay readable.
    /// A <see cref="BuildFarmException"/> with FAILED_PRECONDITION while a run of it is queued or running.
    /// </summary>
    /// <param name="name">The pipeline's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task DeletePipelineAsync(string name, CancellationToken cancellationToken = default) =>
        CallAsync(() => _pipelines.DeletePipelineAsync(new DeletePipelineRequest { Name = name }, deadline: Deadline(), cancellationToken: cancellationToken).ResponseAsync);

    /// <summary>Every pipeline, each at its latest version.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
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
    /// <param name="branch">
    /// Only runs that built this branch, as run lists show it (<c>main</c>, <c>tag v1</c>, <c>pr/7</c>); null for all.
    /// A page may then hold fewer runs than <paramref name="pageSize"/> while later pages still have some.
    /// </param>
    /// <param name="createdAfter">Only runs created at or after this time; null for no lower bound.</param>
    /// <param name="createdBefore">Only runs created before this time; null for no upper bound.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="BuildFarmException">INVALID_ARGUMENT for a page size over 500, a token this API did not return, or an empty time range.</exception>
    public Task<ListRunsResponse> ListRunsAsync(
        string? pipeline = null,
        RunStatus? status = null,
        int pageSize = 0,
        string? pageToken = null,
        string? branch = null,
        DateTimeOffset? createdAfter = null,
        DateTimeOffset? createdBefore = null,
        CancellationToken cancellationToken = default)
    {
        var request = new ListRunsRequest
        {
            Pipeline = pipeline ?? "",
            Status = status ?? RunStatus.Unspecified,
            PageSize = pageSize,
            PageToken = pageToken ?? "",
            Branch = branch ?? "",
            CreatedAfter = createdAfter is { } after ? Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(after) : null,
            CreatedBefore = createdBefore is { } before ? Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(before) : null,
        };
        return CallAsync(() => _runs.ListRunsAsync(request, deadline: Deadline(), cancellationToken: cancellationToken).ResponseAsync);
    }

    /// <summary>
    /// Triggers a run of the pipeline's latest version. Without an <paramref name="idempotencyKey"/> the
    /// client makes one for this call, so its transparent retries never start a second run.
    /// </summary>
    /// <param name="pipeline">The pipeline's name.</param>
    /// <param name="variables">Environment variables over the definition's for this run.</param>
    /// <param name="idempotencyKey">A repeated key returns the run it first created; null: one per call.</param>
    /// <param name="sourceVersion">
    /// The source revision to build: a commit SHA, <c>refs/heads/BRANCH</c>, <c>refs/tags/TAG</c> or <c>pr/N</c>. It becomes
    /// <c>CODEBUILD_SOURCE_VERSION</c>, and a full commit SHA also <c>CODEBUILD_RESOLVED_SOURCE_VERSION</c> (what a pipeline's source action checks out).
    /// </param>
    /// <param name="correlationId">Echoed on the run's bus events (RunQueued, RunCompleted …); null: the coordinator makes one.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The queued run (or, for a repeated key, the run it first created).</returns>
    /// <exception cref="BuildFarmException">NOT_FOUND for an unknown pipeline; INVALID_ARGUMENT for too many variables or a malformed source version.</exception>
    public Task<Run> TriggerRunAsync(
        string pipeline,
        IReadOnlyDictionary<string, string>? variables = null,
        string? idempotencyKey = null,
        string? sourceVersion = null,
        Guid? correlationId = null,
        CancellationToken cancellationToken = default)
    {
        var request = new TriggerRunRequest
        {
            Pipeline = pipeline,
            IdempotencyKey = idempotencyKey ?? $"sdk-{Guid.NewGuid():N}",
            SourceVersion = sourceVersion ?? "",
            CorrelationId = correlationId?.ToString() ?? "",
        };
        foreach (var (key, value) in variables ?? new Dictionary<string, string>())
        {
            request.Variables[key] = value;
        }

        return CallAsync(() => _runs.TriggerRunAsync(request, deadline: Deadline(), cancellationToken: cancellationToken).ResponseAsync);
    }

    /// <summary>A run with its jobs, their phases, exported variables and test reports.</summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="BuildFarmException">NOT_FOUND for an unknown run.</exception>
    public Task<Run> GetRunAsync(string runId, CancellationToken cancellationToken = default) =>
        CallAsync(() => _runs.GetRunAsync(new GetRunRequest { RunId = runId }, deadline: Deadline(), cancellationToken: cancellationToken).ResponseAsync);

    /// <summary>Cancels a run (operate): its processes get TERM, a grace period, then KILL. Cancelling a finished run changes nothing.</summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<Run> CancelRunAsync(string runId, CancellationToken cancellationToken = default) =>
        CallAsync(() => _runs.CancelRunAsync(new CancelRunRequest { RunId = runId }, deadline: Deadline(), cancellationToken: cancellationToken).ResponseAsync);

    /// <summary>
    /// A new run of a finished run's exact pipeline version with its variables; throws with
    /// <c>FailedPrecondition</c> while the run has not finished.
    /// </summary>
    /// <param name="runId">The finished run's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new run.</returns>
    public Task<Run> RetryRunAsync(string runId, CancellationToken cancellationToken = default) =>
        CallAsync(() => _runs.RetryRunAsync(new RetryRunRequest { RunId = runId }, deadline: Deadline(), cancellationToken: cancellationToken).ResponseAsync);

    /// <summary>
    /// The run's log from <paramref name="offset"/> (or its last <paramref name="tailLines"/> lines),
    /// then its live tail; ends when the run ends. No deadline: a live log takes as long as the run; cancel instead.
    /// </summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="offset">Start at this byte offset (resume where an earlier read stopped).</param>
    /// <param name="tailLines">Start this many lines before the current end instead (like <c>tail -n</c>); 0 to use <paramref name="offset"/>.</param>
    /// <param name="cancellationToken">Stops following.</param>
    /// <returns>Segments with contiguous offsets; their bytes are the log unchanged.</returns>
    public async IAsyncEnumerable<LogSegment> FollowLogAsync(string runId, long offset = 0, int tailLines = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var call = _logs.FollowLog(new FollowLogRequest { RunId = runId, Offset = offset, TailLines = tailLines }, cancellationToken: cancellationToken);
        await foreach (var segment in ReadAllAsync(call, cancellationToken))
        {
            yield return segment;
        }
    }

    /// <summary>The whole stored log of the run's first job, read in pieces, in memory; <see cref="DownloadLogAsync(string, Stream, CancellationToken)"/> writes a large one to a stream.</summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    public Task<byte[]> GetLogAsync(string runId, CancellationToken cancellationToken = default) => GetLogAsync(runId, "", cancellationToken);

    /// <summary>
    /// One job's whole stored log, in memory: <paramref name="job"/> is its id, batch identifier (a batch's member build) or name
    /// (a pipeline's action); empty is the run's first job.
    /// </summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="job">The job's id, batch identifier or name; empty for the first job.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    public async Task<byte[]> GetLogAsync(string runId, string job, CancellationToken cancellationToken = default)
    {
        using var all = new MemoryStream();
        await DownloadLogAsync(runId, job, all, cancellationToken);
        return all.ToArray();
    }

    /// <summary>Writes the run's first job's log as stored so far to <paramref name="destination"/>, piece by piece (each call has its own deadline).</summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="destination">Written from its current position; not disposed.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="BuildFarmException">NOT_FOUND for an unknown run.</exception>
    public Task<long> DownloadLogAsync(string runId, Stream destination, CancellationToken cancellationToken = default) =>
        DownloadLogAsync(runId, "", destination, cancellationToken);

    /// <summary>Writes one job's log as stored so far to <paramref name="destination"/>, piece by piece (each call has its own deadline).</summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="job">The job's id, batch identifier or name; empty for the first job.</param>
    /// <param name="destination">Written from its current position; not disposed.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="BuildFarmException">NOT_FOUND for an unknown run or job.</exception>
    public async Task<long> DownloadLogAsync(string runId, string job, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        long offset = 0;
        while (true)
        {
            var piece = await CallAsync(() => _logs.GetLogAsync(new GetLogRequest { RunId = runId, Offset = offset, Job = job ?? "" }, deadline: Deadline(), cancellationToken: cancellationToken).ResponseAsync);
            await destination.WriteAsync(piece.Data.Memory, cancellationToken);
            if (piece.NextOffset == offset || piece.Data.IsEmpty)
            {
                return offset + piece.Data.Length;
            }

            offset = piece.NextOffset;
        }
    }

    /// <summary>Polls until the run is Succeeded, Failed or Cancelled.</summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="poll">How long to wait between polls.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The final run.</returns>
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
            ("DeployService", "GetDeployment"), ("DeployService", "ListDeployments"), ("CacheService", "ListCacheEntries"),
        })
        {
            config.Names.Add(new MethodName { Service = $"buildfarm.v1.{service}", Method = method });
        }

        return config;
    }

    private DateTime Deadline() => DateTime.UtcNow + _deadline;

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
