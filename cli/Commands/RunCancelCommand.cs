using BuildFarm.Cli.Output;

namespace BuildFarm.Cli.Commands;

/// <summary>`buildfarm run cancel ID`: asks for the cancel and prints where the run now stands (usually Cancelling).</summary>
public static class RunCancelCommand
{
    public static Task<int> ExecuteAsync(CliContext context, string runId, CancellationToken cancellationToken) =>
        Remote.CallAsync(context, async client =>
        {
            var run = await client.CancelRunAsync(runId, cancellationToken);
            if (context.Json)
            {
                await Json.WriteAsync(context.Output, run);
            }
            else
            {
                await context.Output.WriteLineAsync($"run {run.Id} {StatusWord.Of(run.Status)}");
            }

            return 0;
        });
}
