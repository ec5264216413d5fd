using BuildFarm.Cli.Output;

namespace BuildFarm.Cli.Commands;

/// <summary>
/// `buildfarm run trigger PIPELINE [--var K=V]... [--revision SHA] [-f|--follow]`: queues a run of the latest version and prints its id;
/// --revision is the commit a pipeline file's source actions check out (CODEBUILD_RESOLVED_SOURCE_VERSION) instead of their branch head;
/// with --follow that line goes to stderr, the live log to stdout, and the exit code is the run's (1 = failed).
/// </summary>
public static class RunTriggerCommand
{
    public static async Task<int> ExecuteAsync(CliContext context, string pipeline, IReadOnlyList<string> variables, CancellationToken cancellationToken, bool follow = false, string? revision = null)
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

        if (!string.IsNullOrEmpty(revision))
        {
            parsed["CODEBUILD_RESOLVED_SOURCE_VERSION"] = revision;
        }

        return await Remote.CallAsync(context, async client =>
        {
            var run = await client.TriggerRunAsync(pipeline, parsed, cancellationToken: cancellationToken);
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
