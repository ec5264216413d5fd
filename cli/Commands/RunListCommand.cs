using System.Globalization;
using BuildFarm.Cli.Output;
using BuildFarm.Protos.V1;

namespace BuildFarm.Cli.Commands;

/// <summary>
/// `buildfarm run list [--pipeline P] [--status S] [--branch B] [--since T] [--until T] [--page-size N] [--page-token T]`:
/// one page, newest first. The next page's token goes to stderr in human output, so stdout stays a clean table.
/// </summary>
public static class RunListCommand
{
    public static async Task<int> ExecuteAsync(
        CliContext context,
        string? pipeline,
        string? status,
        int pageSize,
        string? pageToken,
        CancellationToken cancellationToken,
        string? branch = null,
        string? since = null,
        string? until = null)
    {
        DateTimeOffset? createdAfter = null, createdBefore = null;
        foreach (var (option, text) in new[] { ("--since", since), ("--until", until) })
        {
            if (text is null)
            {
                continue;
            }

            if (!TryParseTime(text, context.Time.GetUtcNow(), out var time))
            {
                await context.Error.WriteLineAsync($"buildfarm: {option} {text}: expected an ISO 8601 time (2026-11-25T10:00:00Z) or an age such as 30m, 2h or 7d");
                return 2;
            }

            if (option == "--since")
            {
                createdAfter = time;
            }
            else
            {
                createdBefore = time;
            }
        }

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
            var page = await client.ListRunsAsync(pipeline, wanted, pageSize, pageToken, branch, createdAfter, createdBefore, cancellationToken);
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

    /// <summary>An absolute time (ISO 8601; without an offset it is UTC), or an age before <paramref name="now"/>: 90s, 30m, 2h, 7d.</summary>
    public static bool TryParseTime(string text, DateTimeOffset now, out DateTimeOffset time)
    {
        time = default;
        if (text.Length >= 2 && "smhd".Contains(text[^1], StringComparison.Ordinal)
            && int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            time = now - (text[^1] switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                _ => TimeSpan.FromDays(amount),
            });
            return true;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time);
    }
}
