using BuildFarm.Cli.Output;

namespace BuildFarm.Cli.Commands;

/// <summary>`buildfarm run retry ID`: queues a new run of the same pipeline version and variables, and prints its id.</summary>
public static class RunRetryCommand
{
    public static Task<int> ExecuteAsync(CliContext context, string runId, CancellationToken cancellationToken) =>
        Remote.CallAsync(context, async client =>
        {
            var run = await client.RetryRunAsync(runId, cancellationToken);
            if (context.Json)
            {
                await Json.WriteAsync(context.Output, run);
            }
            else
            {
                await context.Output.WriteLineAsync($"run {run.Id} {StatusWord.Of(run.Status)} (retry of {runId}, {run.Pipeline} version {run.PipelineVersion})");
            }

            return 0;
        });
}
