using System.Text;
using BuildFarm.Protos.V1;
using BuildFarm.Worker.Logs;
using Microsoft.Extensions.Time.Testing;

namespace BuildFarm.UnitTests.Worker.Logs;

public sealed class LogBatcherCapTests
{
    private const string Marker = "[buildfarm] log truncated: the job printed more than 100 bytes; the step keeps running\n";

    private readonly RecordingChunkSink _sink = new();

    [Fact]
    public async Task Past_the_cap_one_marker_is_written_and_the_rest_is_counted_but_dropped()
    {
        using var batcher = new LogBatcher(_sink, new FakeTimeProvider(), maxLogBytes: 100);
        var data = Enumerable.Range(0, 200).Select(i => (byte)i).ToArray();

        await batcher.WriteAsync(LogStream.Stdout, data.AsMemory(0, 60), CancellationToken.None);
        await batcher.WriteAsync(LogStream.Stdout, data.AsMemory(60, 60), CancellationToken.None);
        await batcher.WriteAsync(LogStream.Stderr, data.AsMemory(120, 50), CancellationToken.None);
        await batcher.WriteAsync(LogStream.Stdout, data.AsMemory(170, 30), CancellationToken.None);
        batcher.Flush();

        Assert.Equal(data[..100], _sink.Bytes(LogStream.Stdout));
        Assert.Empty(_sink.Bytes(LogStream.Stderr));
        Assert.Equal(Marker, Encoding.UTF8.GetString(_sink.Bytes(LogStream.System)));
        Assert.Equal(LogStream.System, _sink.Chunks[^1].Stream);
        Assert.Equal(200, batcher.OutputBytes);
        Assert.Equal(100, batcher.DroppedBytes);
        Assert.True(batcher.Truncated);
    }

    [Fact]
    public async Task Output_that_exactly_reaches_the_cap_is_kept_whole_without_a_marker()
    {
        using var batcher = new LogBatcher(_sink, new FakeTimeProvider(), maxLogBytes: 100);

        await batcher.WriteAsync(LogStream.Stdout, new byte[100], CancellationToken.None);
        batcher.Flush();

        Assert.Equal(100, _sink.Bytes(LogStream.Stdout).Length);
        Assert.Empty(_sink.Bytes(LogStream.System));
        Assert.False(batcher.Truncated);

        await batcher.WriteAsync(LogStream.Stdout, new byte[1], CancellationToken.None);
        batcher.Flush();

        Assert.Equal(Marker, Encoding.UTF8.GetString(_sink.Bytes(LogStream.System)));
        Assert.Equal(1, batcher.DroppedBytes);
    }

    [Fact]
    public async Task The_farm_s_own_lines_still_reach_the_log_after_the_cap()
    {
        using var batcher = new LogBatcher(_sink, new FakeTimeProvider(), maxLogBytes: 100);

        await batcher.WriteAsync(LogStream.Stdout, new byte[150], CancellationToken.None);
        batcher.System("Job SUCCEEDED");
        batcher.Flush();

        Assert.Equal(Marker + "[buildfarm] Job SUCCEEDED\n", Encoding.UTF8.GetString(_sink.Bytes(LogStream.System)));
    }

    [Fact]
    public async Task By_default_the_cap_is_one_GiB()
    {
        var counter = new CountingChunkSink();
        using var batcher = new LogBatcher(counter, new FakeTimeProvider());
        var block = new byte[1024 * 1024];

        for (var i = 0; i < 1024; i++)
        {
            await batcher.WriteAsync(LogStream.Stdout, block, CancellationToken.None);
        }

        Assert.False(batcher.Truncated);
        await batcher.WriteAsync(LogStream.Stdout, block, CancellationToken.None);
        batcher.Flush();

        Assert.Equal(1L << 30, counter.StdoutBytes);
        Assert.Equal("[buildfarm] log truncated: the job printed more than 1073741824 bytes; the step keeps running\n", counter.SystemText);
        Assert.Equal(block.Length, batcher.DroppedBytes);
    }

    private sealed class CountingChunkSink : ILogChunkSink
    {
        public long StdoutBytes { get; private set; }

        public string SystemText { get; private set; } = "";

        public void Enqueue(LogStream stream, DateTimeOffset time, ReadOnlyMemory<byte> data)
        {
            if (stream == LogStream.System)
            {
                SystemText += Encoding.UTF8.GetString(data.Span);
            }
            else
            {
                StdoutBytes += data.Length;
            }
        }
    }
}
