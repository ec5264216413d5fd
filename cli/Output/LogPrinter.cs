using BuildFarm.Client;
using BuildFarm.Protos.V1;

namespace BuildFarm.Cli.Output;

/// <summary>
/// Follows a run's log and writes its bytes as they arrive: stdout to stdout, stderr to stderr. On a terminal
/// a live status line fills the quiet stretches (see <see cref="LiveStatusLine"/>).
/// </summary>
public static class LogPrinter
{
    public static async Task FollowAsync(BuildFarmClient client, string runId, LiveStatusLine status, CancellationToken cancellationToken)
    {
        await using var stdout = Console.OpenStandardOutput();
        await using var stderr = Console.OpenStandardError();
        await using var segments = client.FollowLogAsync(runId, cancellationToken: cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (await status.MoveNextAsync(segments, cancellationToken))
        {
            var segment = segments.Current;
            var target = segment.Stream == LogStream.Stderr ? stderr : stdout;
            await target.WriteAsync(segment.Data.Memory, cancellationToken);
            await target.FlushAsync(cancellationToken);
            status.Wrote(segment.Data.Span);
        }
    }
}
