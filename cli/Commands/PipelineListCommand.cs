using BuildFarm.Cli.Output;
using BuildFarm.Protos.V1;

namespace BuildFarm.Cli.Commands;

/// <summary>`buildfarm pipeline list`: every pipeline at its latest version.</summary>
public static class PipelineListCommand
{
    public static Task<int> ExecuteAsync(CliContext context, CancellationToken cancellationToken) =>
        Remote.CallAsync(context, async client =>
        {
            var pipelines = await client.ListPipelinesAsync(cancellationToken);
            if (context.Json)
            {
                var response = new ListPipelinesResponse();
                response.Pipelines.AddRange(pipelines);
                await Json.WriteAsync(context.Output, response);
                return 0;
            }

            var now = context.Time.GetUtcNow();
            await Table.WriteAsync(
                context.Output,
                ["NAME", "VERSION", "UPDATED"],
                pipelines.Select(p => (IReadOnlyList<Cell>)[p.Name, p.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), RelativeTime.Format(p.CreatedAt.ToDateTimeOffset(), now)]).ToList());
            return 0;
        });
}
