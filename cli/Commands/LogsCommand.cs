using System.Text;
using BuildFarm.Client;
using BuildFarm.Cli.Output;
using BuildFarm.Protos.V1;

namespace BuildFarm.Cli.Commands;

/// <summary>
/// `buildfarm logs ID [-f|--follow] [--tail N]`: the stored log, or with -f the live tail until the run
/// ends, then exit 1 if it failed or was cancelled. The build's stderr goes to stderr.
/// </summary>
public static class LogsCommand
{
    // The follow stream closes when the run ends; the final status lands moments later, never minutes.
    private static readonly TimeSpan FinalStatusWait = TimeSpan.FromSeconds(30);

    public static async Task<int> ExecuteAsync(CliContext context, string runId, bool follow, int tail, CancellationToken cancellationToken)
    {
        if (tail < 0)
        {
            await context.Error.WriteLineAsync($"buildfarm: --tail {tail}: expected a line count of 0 or more");
            return 2;
        }

        return await Remote.CallAsync(context, async client =>
        {
            if (!follow)
            {
                var text = Encoding.UTF8.GetString(await client.GetLogAsync(runId, cancellationToken));
                await context.Output.WriteAsync(tail > 0 ? LastLines(text, tail) : text);
                return 0;
            }

            return await FollowAsync(context, client, runId, tail, cancellationToken);
        });
    }

    /// <summary>
    /// The live tail until the run ends, then its status on stderr; 1 if it failed or was cancelled. On a
    /// terminal a live status line fills the quiet stretches; the log text is written as it arrives.
    /// </summary>
    public static async Task<int> FollowAsync(CliContext context, BuildFarmClient client, string runId, int tail, CancellationToken cancellationToken)
    {
        // One decoder per stream: a multi-byte character may be split across segments.
        var stdout = Encoding.UTF8.GetDecoder();
        var stderr = Encoding.UTF8.GetDecoder();
        var status = new LiveStatusLine(context.Output, client, runId, context.Time);
        await using var segments = client.FollowLogAsync(runId, tailLines: tail, cancellationToken: cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (await status.MoveNextAsync(segments, cancellationToken))
        {
            var segment = segments.Current;
            var isError = segment.Stream == LogStream.Stderr;
            var decoder = isError ? stderr : stdout;
            var bytes = segment.Data.Span;
            var chars = new char[decoder.GetCharCount(bytes, flush: false)];
            var count = decoder.GetChars(bytes, chars, flush: false);
            var target = isError ? context.Error : context.Output;
            await target.WriteAsync(chars.AsMemory(0, count), cancellationToken);
            await target.FlushAsync(cancellationToken);
            status.Wrote(segment.Data.Span);
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(FinalStatusWait);
        var run = await status.WhileAsync($"run {runId}: finishing", client.WaitForRunAsync(runId, TimeSpan.FromMilliseconds(100), wait.Token));
        await context.Error.WriteLineAsync($"run {run.Id}: {StatusWord.Of(run.Status)}");
        return StatusWord.IsUnsuccessful(run.Status) ? 1 : 0;
    }

    private static string LastLines(string text, int count)
    {
        var end = text.EndsWith('\n') ? text.Length - 1 : text.Length;
        var start = end;
        for (var seen = 0; start > 0; start--)
        {
            if (text[start - 1] == '\n' && ++seen == count)
            {
                break;
            }
        }

        return text[start..];
    }
}
