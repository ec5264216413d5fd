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

    /// <summary>Approves or rejects a waiting approval action (operate permission); the caller's token name and the comment are recorded.</summary>
    /// <param name="runId">The run (execution) id.</param>
    /// <param name="stage">The approval's stage.</param>
    /// <param name="action">The approval action's name.</param>
    /// <param name="approve">True approves (the run goes on), false rejects (the stage and the run fail).</param>
    /// <param name="comment">Kept with the decision.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="BuildFarmException">FAILED_PRECONDITION when the approval is not waiting; NOT_FOUND for an unknown run or action.</exception>
    public Task<Run> DecideApprovalAsync(string runId, string stage, string action, bool approve, string? comment = null, CancellationToken cancellationToken = default) =>
        CallAsync(() => ExecutionsClient.DecideApprovalAsync(new DecideApprovalRequest { RunId = runId, Stage = stage, Action = action, Approve = approve, Comment = comment ?? "" }, deadline: Deadline(), cancellationToken: cancellationToken).ResponseAsync);
}
