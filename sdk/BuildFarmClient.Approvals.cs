using BuildFarm.Protos.V1;

namespace BuildFarm.Client;

public sealed partial class BuildFarmClient
{
    private ApprovalService.ApprovalServiceClient ApprovalsClient => new(_invoker);

    /// <summary>
    /// Approves a pipeline run's waiting approval action (operate permission): its stage completes and the run goes on.
    /// The token's name and <paramref name="comment"/> become the action's reason.
    /// </summary>
    /// <param name="runId">The run.</param>
    /// <param name="stage">The stage's name in the pipeline file.</param>
    /// <param name="action">The approval action's name.</param>
    /// <param name="comment">Why; at most 1000 characters.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The run after the decision.</returns>
    /// <exception cref="BuildFarmException">NOT_FOUND for an unknown run, stage or action; FAILED_PRECONDITION when it is not waiting.</exception>
    public Task<Run> ApproveAsync(string runId, string stage, string action, string? comment = null, CancellationToken cancellationToken = default) =>
        DecideAsync(runId, stage, action, ApprovalDecision.Approve, comment, cancellationToken);

    /// <summary>Rejects a pipeline run's waiting approval action (operate permission): the action and the run fail.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="stage">The stage's name in the pipeline file.</param>
    /// <param name="action">The approval action's name.</param>
    /// <param name="comment">Why; at most 1000 characters.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The run after the decision.</returns>
    /// <exception cref="BuildFarmException">NOT_FOUND for an unknown run, stage or action; FAILED_PRECONDITION when it is not waiting.</exception>
    public Task<Run> RejectAsync(string runId, string stage, string action, string? comment = null, CancellationToken cancellationToken = default) =>
        DecideAsync(runId, stage, action, ApprovalDecision.Reject, comment, cancellationToken);

    private Task<Run> DecideAsync(string runId, string stage, string action, ApprovalDecision decision, string? comment, CancellationToken cancellationToken) =>
        CallAsync(() => ApprovalsClient.DecideApprovalAsync(
            new DecideApprovalRequest { RunId = runId, Stage = stage, Action = action, Decision = decision, Comment = comment ?? "" },
            deadline: Deadline(),
            cancellationToken: cancellationToken).ResponseAsync);
}
