using System.Globalization;
using BuildFarm.Cli.Output;
using BuildFarm.Protos.V1;

namespace BuildFarm.Cli.Commands;

/// <summary>
/// `buildfarm run list [--pipeline P] [--status S] [--page-size N] [--page-token T]`: one page, newest first.
/// The next page's token goes to stderr in human output, so stdout stays a clean table.
/// </summary>
public static class RunListCommand
{
    public static async Task<int> ExecuteAsync(CliContext context, string? pipeline, string? status, int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        RunStatus? wanted = null;
        if (status is not null)
        {
            if (!StatusWord.TryParse(status, out var parsed))
            {
                await context.Error.WriteLineAsync($"buildfarm: --status {status}: expected one of Queued, Running, Cancelling, Succeeded, Failed, Cancelled");
                return 2;
            }

            wanted = parsed;
        }

        return await Remote.CallAsync(context, async client =>
        {
            var page = await client.ListRunsAsync(pipeline, wanted, pageSize, pageToken, cancellationToken);
            if (context.Json)
            {
                await Json.WriteAsync(context.Output, page);
                return 0;
            }

            var now = context.Time.GetUtcNow();
            await Table.WriteAsync(
                context.Output,
                ["ID", "PIPELINE", "STATUS", "CREATED", "DURATION"],
                page.Runs.Select(r => (IReadOnlyList<Cell>)
                [
                    r.Id,
                    $"{r.Pipeline}@{r.PipelineVersion.ToString(CultureInfo.InvariantCulture)}",
                    Cell.Of(r.Status),
                    RelativeTime.Format(r.CreatedAt.ToDateTimeOffset(), now),
                    r.FinishedAt is null ? "-" : RelativeTime.Duration(r.FinishedAt.ToDateTimeOffset() - r.CreatedAt.ToDateTimeOffset()),
                ]).ToList());
            if (page.NextPageToken.Length > 0)
            {
                await context.Error.WriteLineAsync($"more: --page-token {page.NextPageToken}");
            }

            return 0;
        });
    }
}
