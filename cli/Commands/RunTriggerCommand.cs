using BuildFarm.Cli.Output;

namespace BuildFarm.Cli.Commands;

/// <summary>
/// `buildfarm run trigger PIPELINE [--var K=V]... [--revision R] [-f|--follow]`: queues a run of the latest version (of source
/// revision R when given) and prints its id;
/// with --follow that line goes to stderr, the live log to stdout, and the exit code is the run's (1 = failed).
/// </summary>
public static class RunTriggerCommand
{
    public static async Task<int> ExecuteAsync(
        CliContext context, string pipeline, IReadOnlyList<string> variables, CancellationToken cancellationToken, bool follow = false, string? revision = null)
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
            var run = await client.TriggerRunAsync(pipeline, parsed, sourceVersion: revision, cancellationToken: cancellationToken);
            // Followed, stdout is the log's alone, so the run's line (JSON or words) moves to stderr.
            var runLine = follow ? context.Error : context.Output;
            if (context.Json)
            {
                await Json.WriteAsync(runLine, run);
            }
            else
            {
                await runLine.WriteLineAsync($"run {run.Id} of {run.Pipeline}@{run.PipelineVersion} {StatusWord.Of(run.Status)}");
            }

            return follow ? await LogsCommand.FollowAsync(context, client, run.Id, tail: 0, cancellationToken) : 0;
        });
    }
}
