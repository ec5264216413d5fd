using BuildFarm.Client;
using Spectre.Console;

namespace BuildFarm.Cli.Output;

/// <summary>
/// While a followed log is quiet (queued, waiting for a worker, a silent step), a spinner line on the terminal
/// says what the run is doing. It only shows between whole log lines and is cleared before the next bytes are
/// written, so the log itself reaches stdout unchanged and in order. Off when stdout is not a terminal.
/// </summary>
public sealed class LiveStatusLine
{
    // Quiet this long before the line appears: a chatty build never sees it flicker.
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(700);
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    private readonly BuildFarmClient _client;
    private readonly string _runId;
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _started;
    private readonly IAnsiConsole? _console;
    private bool _atLineStart = true;

    /// <param name="output">Where the log's stdout goes; the line shows only when that is a terminal.</param>
    /// <param name="client">Asks for the run's status while the log is quiet.</param>
    /// <param name="runId">The followed run.</param>
    /// <param name="time">The clock the elapsed time is read from.</param>
    public LiveStatusLine(TextWriter output, BuildFarmClient client, string runId, TimeProvider time)
    {
        _client = client;
        _runId = runId;
        _time = time;
        _started = time.GetUtcNow();
        _console = Terminal.IsInteractive(output) ? Terminal.For(output) : null;
    }

    /// <summary>Notes the log's last written bytes: a partial line must not be overdrawn by the spinner.</summary>
    public void Wrote(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > 0)
        {
            _atLineStart = bytes[^1] == (byte)'\n';
        }
    }

    /// <summary>The next log segment; the status line shows while it is awaited for longer than a moment.</summary>
    public Task<bool> MoveNextAsync<T>(IAsyncEnumerator<T> segments, CancellationToken cancellationToken) =>
        ShowWhileAsync(segments.MoveNextAsync().AsTask(), () => DescribeAsync(cancellationToken));

    /// <summary><paramref name="work"/>'s result; the status line says <paramref name="text"/> (plain text) if it takes a while.</summary>
    public Task<TResult> WhileAsync<TResult>(string text, Task<TResult> work) =>
        ShowWhileAsync(work, () => Task.FromResult(Markup.Escape(text)));

    private async Task<TResult> ShowWhileAsync<TResult>(Task<TResult> work, Func<Task<string>> describe)
    {
        if (_console is null || !_atLineStart || await Task.WhenAny(work, Task.Delay(Quiet, _time, CancellationToken.None)) == work)
        {
            return await work;
        }

        return await _console.Status()
            .Spinner(Spinner.Known.Dots)
            .StartAsync(await describe(), async context =>
            {
                // Ends with the work; cancelling ends a log read or a wait too, so nothing is left in flight.
                while (await Task.WhenAny(work, Task.Delay(Poll, _time, CancellationToken.None)) != work)
                {
                    context.Status = await describe();
                }

                return await work;
            });
    }

    private async Task<string> DescribeAsync(CancellationToken cancellationToken)
    {
        var elapsed = RelativeTime.Duration(_time.GetUtcNow() - _started);
        try
        {
            var run = await _client.GetRunAsync(_runId, cancellationToken);
            var what = run.Status switch
            {
                Protos.V1.RunStatus.Queued => "waiting for a worker",
                Protos.V1.RunStatus.Running => "waiting for output",
                _ => "waiting",
            };
            return $"run {Markup.Escape(_runId)}: {StatusColour.Markup(run.Status)}, {what} ({elapsed})";
        }
        catch (Exception ex) when (ex is BuildFarmException or OperationCanceledException)
        {
            // The status line is a courtesy: a refused look-up must not end the follow, which reports real errors itself.
            return $"run {Markup.Escape(_runId)}: waiting ({elapsed})";
        }
    }
}
