using BuildFarm.Protos.V1;
using BuildFarm.Cli.Output;

namespace BuildFarm.Cli.Commands;

/// <summary>`buildfarm pipeline delete NAME`: refused (exit 2) while a run of it is queued or running.</summary>
public static class PipelineDeleteCommand
{
    public static Task<int> ExecuteAsync(CliContext context, string name, CancellationToken cancellationToken) =>
        Remote.CallAsync(context, async client =>
        {
            await client.DeletePipelineAsync(name, cancellationToken);
            if (context.Json)
            {
                await Json.WriteAsync(context.Output, new DeletePipelineResponse());
            }
            else
            {
                await context.Output.WriteLineAsync($"pipeline {name} deleted (its runs stay readable)");
            }

            return 0;
        });
}
