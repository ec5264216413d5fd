using BuildFarm.Cli.Output;
using BuildFarm.Protos.V1;

namespace BuildFarm.Cli.Commands;

/// <summary>
/// `buildfarm run stop ID [--abandon] [--reason R]` (stop and wait by default, as `aws codepipeline
/// stop-pipeline-execution`); prints where the run now stands (approvals: <see cref="RunApprovalCommand"/>).
/// </summary>
public static class ExecutionCommands
{
    public static Task<int> StopAsync(CliContext context, string runId, bool abandon, string? reason, CancellationToken cancellationToken) =>
        Remote.CallAsync(context, async client => await PrintAsync(context, await client.StopExecutionAsync(runId, abandon, reason, cancellationToken)));

    private static async Task<int> PrintAsync(CliContext context, Run run)
    {
        if (context.Json)
        {
            await Json.WriteAsync(context.Output, run);
            return 0;
        }
        await context.Output.WriteLineAsync($"run {run.Id} {StatusWord.Of(run.Status)}");
        foreach (var job in run.Jobs.Where(j => !string.IsNullOrEmpty(j.Stage)).OrderBy(j => j.StageIndex).ThenBy(j => j.RunOrder))
        {
            await context.Output.WriteLineAsync($"  {job.Stage}/{job.Name} {StatusWord.Of(job.Status)}{(string.IsNullOrEmpty(job.Reason) ? "" : $": {job.Reason}")}");
        }
        return 0;
    }
}
