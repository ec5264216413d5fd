using BuildFarm.Cli.Output;

namespace BuildFarm.Cli.Commands;

/// <summary>`buildfarm run show ID`: status, jobs and phases; exits 1 when the run failed or was cancelled.</summary>
public static class RunShowCommand
{
    public static Task<int> ExecuteAsync(CliContext context, string runId, CancellationToken cancellationToken) =>
        Remote.CallAsync(context, async client =>
        {
            var run = await client.GetRunAsync(runId, cancellationToken);
            if (context.Json)
            {
                await Json.WriteAsync(context.Output, run);
            }
            else
            {
                await RunDetails.WriteAsync(context.Output, run, context.Time.GetUtcNow());
            }

            return StatusWord.IsUnsuccessful(run.Status) ? 1 : 0;
        });
}
