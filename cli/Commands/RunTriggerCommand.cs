using BuildFarm.Cli.Output;

namespace BuildFarm.Cli.Commands;

/// <summary>`buildfarm run trigger PIPELINE [--var K=V]...`: queues a run of the latest version and prints its id.</summary>
public static class RunTriggerCommand
{
    public static async Task<int> ExecuteAsync(CliContext context, string pipeline, IReadOnlyList<string> variables, CancellationToken cancellationToken)
    {
        var parsed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in variables)
        {
            var equals = variable.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                await context.Error.WriteLineAsync($"buildfarm: --var {variable}: expected KEY=VALUE");
                return 2;
            }

            parsed[variable[..equals]] = variable[(equals + 1)..];
        }

        return await Remote.CallAsync(context, async client =>
        {
            var run = await client.TriggerRunAsync(pipeline, parsed, cancellationToken: cancellationToken);
            if (context.Json)
            {
                await Json.WriteAsync(context.Output, run);
            }
            else
            {
                await context.Output.WriteLineAsync($"run {run.Id} of {run.Pipeline}@{run.PipelineVersion} {StatusWord.Of(run.Status)}");
            }

            return 0;
        });
    }
}
