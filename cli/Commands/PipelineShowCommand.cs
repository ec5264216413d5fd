using BuildFarm.Cli.Output;

namespace BuildFarm.Cli.Commands;

/// <summary>`buildfarm pipeline show NAME`: the latest version's header, then its definition verbatim.</summary>
public static class PipelineShowCommand
{
    public static Task<int> ExecuteAsync(CliContext context, string name, CancellationToken cancellationToken) =>
        Remote.CallAsync(context, async client =>
        {
            var pipeline = await client.GetPipelineAsync(name, cancellationToken: cancellationToken);
            if (context.Json)
            {
                await Json.WriteAsync(context.Output, pipeline);
                return 0;
            }

            await context.Output.WriteLineAsync($"Pipeline: {pipeline.Name}");
            await context.Output.WriteLineAsync($"Version:  {pipeline.Version}");
            await context.Output.WriteLineAsync($"Updated:  {RelativeTime.Format(pipeline.CreatedAt.ToDateTimeOffset(), context.Time.GetUtcNow())}");
            await context.Output.WriteLineAsync();
            await context.Output.WriteLineAsync(pipeline.Definition.TrimEnd());
            return 0;
        });
}
