using System.Text;
using BuildFarm.Client;
using BuildFarm.IntegrationTests.Fixtures;
using BuildFarm.Protos.V1;

namespace BuildFarm.IntegrationTests.Runs;

/// <summary>Readers of a log: from an offset, from the last N lines, live, late and stalled — never a gap or a duplicate.</summary>
public sealed class LogFollowTests(FarmFixture farm) : IClassFixture<FarmFixture>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Following_from_an_offset_or_the_last_lines_returns_exactly_that_part_of_the_log()
    {
        await farm.Client.ApplyPipelineAsync("lines", "version: 0.2\nphases:\n  build:\n    commands:\n      - for i in $(seq 1 100); do echo \"line $i\"; done\n", cancellationToken: Wait.Up(Limit));
        var run = await farm.Client.TriggerRunAsync("lines", cancellationToken: Wait.Up(Limit));
        await farm.Client.WaitForRunAsync(run.Id, TimeSpan.FromMilliseconds(50), Wait.Up(Limit));
        var full = await farm.Client.GetLogAsync(run.Id, Wait.Up(Limit));

        var fromOffset = await ReadAllAsync(farm.Client.FollowLogAsync(run.Id, offset: 100, cancellationToken: Wait.Up(Limit)));
        var lastFive = await ReadAllAsync(farm.Client.FollowLogAsync(run.Id, tailLines: 5, cancellationToken: Wait.Up(Limit)));

        Assert.Equal(full[100..], fromOffset);
        var lines = Encoding.UTF8.GetString(full).TrimEnd('\n').Split('\n');
        Assert.Equal(string.Join('\n', lines[^5..]) + "\n", Encoding.UTF8.GetString(lastFive));
    }

    [Fact]
    public async Task Live_late_and_stalled_followers_all_get_the_whole_log_exactly_once()
    {
        await farm.Client.ApplyPipelineAsync("slow-lines", "version: 0.2\nphases:\n  build:\n    commands:\n      - for i in $(seq 1 150); do echo \"tick $i\"; sleep 0.01; done\n", cancellationToken: Wait.Up(Limit));
        var run = await farm.Client.TriggerRunAsync("slow-lines", cancellationToken: Wait.Up(Limit));

        var live = ReadAllAsync(farm.Client.FollowLogAsync(run.Id, cancellationToken: Wait.Up(Limit)));
        var stalled = StalledReadAsync(farm.Client, run.Id);
        await Task.Delay(700);
        var late = ReadAllAsync(farm.Client.FollowLogAsync(run.Id, cancellationToken: Wait.Up(Limit)));
        var final = await farm.Client.WaitForRunAsync(run.Id, TimeSpan.FromMilliseconds(50), Wait.Up(Limit));
        var full = await farm.Client.GetLogAsync(run.Id, Wait.Up(Limit));

        Assert.Equal(RunStatus.Succeeded, final.Status);
        Assert.Contains("tick 150\n", Encoding.UTF8.GetString(full), StringComparison.Ordinal);
        Assert.Equal(full, await live);
        Assert.Equal(full, await late);
        Assert.Equal(full, await stalled);
    }

    [Fact]
    public async Task The_http_follow_is_server_sent_events_that_resume_after_the_last_event_id_and_end_with_the_run()
    {
        await farm.Client.ApplyPipelineAsync("sse-lines", "version: 0.2\nphases:\n  build:\n    commands:\n      - for i in $(seq 1 20); do echo \"sse $i\"; sleep 0.02; done\n", cancellationToken: Wait.Up(Limit));
        var run = await farm.Client.TriggerRunAsync("sse-lines", cancellationToken: Wait.Up(Limit));

        var (live, lastId) = await ReadEventsAsync($"/api/runs/{run.Id}/log/follow", lastEventId: null);
        var full = await farm.Client.GetLogAsync(run.Id, Wait.Up(Limit));

        Assert.Equal(RunStatus.Succeeded, (await farm.Client.GetRunAsync(run.Id, Wait.Up(Limit))).Status);
        Assert.Contains("sse 20\n", live, StringComparison.Ordinal);
        Assert.Equal(Encoding.UTF8.GetString(full), live);
        Assert.Equal(full.Length, lastId);
        // A reconnect that names an earlier event gets exactly what followed it.
        var resumeAt = full.AsSpan().IndexOf("sse 10\n"u8);
        var (resumed, _) = await ReadEventsAsync($"/api/runs/{run.Id}/log/follow", lastEventId: resumeAt);
        Assert.Equal(Encoding.UTF8.GetString(full[resumeAt..]), resumed);
    }

    /// <summary>The events' data joined back into the log text (one data: field per line), and the last event's id.</summary>
    private async Task<(string Text, long LastId)> ReadEventsAsync(string path, long? lastEventId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (lastEventId is { } id)
        {
            request.Headers.Add("Last-Event-ID", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        using var response = await farm.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Wait.Up(Limit));
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Wait.Up(Limit)));
        var text = new StringBuilder();
        var data = new List<string>();
        long last = -1;
        var ended = false;
        while (await reader.ReadLineAsync(Wait.Up(Limit)) is { } line)
        {
            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                last = long.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (line == "event: end")
            {
                ended = true;
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Add(line[6..]);
            }
            else if (line.Length == 0 && data.Count > 0)
            {
                if (!ended)
                {
                    text.Append(string.Join('\n', data));
                }

                data.Clear();
            }
        }

        Assert.True(ended, "the stream ends with an end event");
        return (text.ToString(), last);
    }

    private static async Task<byte[]> StalledReadAsync(BuildFarmClient client, string runId)
    {
        using var all = new MemoryStream();
        var first = true;
        await foreach (var segment in client.FollowLogAsync(runId, cancellationToken: Wait.Up(Limit)))
        {
            if (first)
            {
                // A reader that stops reading for a while: it must neither slow the job nor lose anything.
                first = false;
                await Task.Delay(1500);
            }

            segment.Data.WriteTo(all);
        }

        return all.ToArray();
    }

    private static async Task<byte[]> ReadAllAsync(IAsyncEnumerable<LogSegment> segments)
    {
        using var all = new MemoryStream();
        long expected = -1;
        await foreach (var segment in segments)
        {
            // Offsets are contiguous: each segment starts where the previous ended.
            Assert.True(expected < 0 || segment.Offset == expected, $"gap or overlap at {segment.Offset}, expected {expected}");
            expected = segment.Offset + segment.Data.Length;
            segment.Data.WriteTo(all);
        }

        return all.ToArray();
    }
}
