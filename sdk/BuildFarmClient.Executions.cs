using BuildFarm.Protos.V1;

namespace BuildFarm.Client;

public sealed partial class BuildFarmClient
{
    private ExecutionService.ExecutionServiceClient ExecutionsClient => new(_invoker);

    /// <summary>
    /// Stops a pipeline execution (operate permission). Stop and wait (<paramref name="abandon"/> false): nothing new
    /// starts and the started actions finish; stop and abandon: they are cancelled too. The run ends Cancelled.
    /// </summary>
    /// <param name="runId">The run (execution) id.</param>
    /// <param name="abandon">Cancel the started actions as well.</param>
    /// <param name="reason">Recorded on what the stop ended; null: "stopped over gRPC".</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="BuildFarmException">FAILED_PRECONDITION once the run has finished; NOT_FOUND for an unknown run.</exception>
    public Task<Run> StopExecutionAsync(string runId, bool abandon, string? reason = null, CancellationToken cancellationToken = default) =>
        CallAsync(() => ExecutionsClient.StopExecutionAsync(new StopExecutionRequest { RunId = runId, Abandon = abandon, Reason = reason ?? "" }, deadline: Deadline(), cancellationToken: cancellationToken).ResponseAsync);
}
