using BuildFarm.Cli.Output;

namespace BuildFarm.Cli.Commands;

/// <summary>
/// `buildfarm run approve|reject RUN STAGE ACTION [--comment C]`: decides a pipeline run's waiting approval action
/// (operate permission) and prints the action's new state; the token's name and the comment are recorded.
/// </summary>
public static class RunApprovalCommand
{
    /// <param name="context">The server command's context.</param>
    /// <param name="approve">True to approve, false to reject.</param>
    /// <param name="runId">The run.</param>
    /// <param name="stage">The stage's name.</param>
    /// <param name="action">The approval action's name.</param>
    /// <param name="comment">Why, or null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public static Task<int> ExecuteAsync(CliContext context, bool approve, string runId, string stage, string action, string? comment, CancellationToken cancellationToken) =>
        Remote.CallAsync(context, async client =>
        {
            var run = approve
                ? await client.ApproveAsync(runId, stage, action, comment, cancellationToken)
                : await client.RejectAsync(runId, stage, action, comment, cancellationToken);
            if (context.Json)
            {
                await Json.WriteAsync(context.Output, run);
                return 0;
            }

            var decided = run.Jobs.FirstOrDefault(j => j.Stage == stage && j.Name == action);
            await context.Output.WriteLineAsync(
                $"{stage}/{action} {StatusWord.Of(decided?.Status ?? Protos.V1.RunStatus.Unspecified)} ({decided?.Reason}); run {run.Id} {StatusWord.Of(run.Status)}");
            return 0;
        });
}
