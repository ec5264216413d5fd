using System.Text;
using BuildFarm.Protos.V1;
using BuildFarm.Worker.Logs;
using Microsoft.Extensions.Time.Testing;

namespace BuildFarm.UnitTests.Worker.Logs;

public sealed class LogBatcherTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly RecordingChunkSink _sink = new();
    private readonly LogBatcher _batcher;

    public LogBatcherTests()
    {
        _batcher = new LogBatcher(_sink, _time);
    }

    public void Dispose() => _batcher.Dispose();

    [Fact]
    public async Task A_chunk_is_handed_over_as_soon_as_it_holds_64_KiB()
    {
        await _batcher.WriteAsync(LogStream.Stdout, new byte[LogBatcher.MaxChunkBytes - 1], CancellationToken.None);
        Assert.Empty(_sink.Chunks);

        await _batcher.WriteAsync(LogStream.Stdout, new byte[2], CancellationToken.None);

        var chunk = Assert.Single(_sink.Chunks);
        Assert.Equal(LogBatcher.MaxChunkBytes, chunk.Data.Length);
        _batcher.Flush();
        Assert.Single(_sink.Chunks[1].Data);
    }

    [Fact]
    public async Task Output_is_handed_over_50_ms_after_its_first_byte_with_that_byte_s_time()
    {
        var start = _time.GetUtcNow();
        await _batcher.WriteAsync(LogStream.Stdout, "a"u8.ToArray(), CancellationToken.None);
        _time.Advance(TimeSpan.FromMilliseconds(30));
        await _batcher.WriteAsync(LogStream.Stdout, "b"u8.ToArray(), CancellationToken.None);
        _time.Advance(TimeSpan.FromMilliseconds(19));
        Assert.Empty(_sink.Chunks);

        _time.Advance(TimeSpan.FromMilliseconds(1));

        var chunk = Assert.Single(_sink.Chunks);
        Assert.Equal("ab", Encoding.ASCII.GetString(chunk.Data));
        Assert.Equal(start, chunk.Time);
    }

    [Fact]
    public async Task The_timer_starts_again_with_the_first_byte_after_a_flush()
    {
        await _batcher.WriteAsync(LogStream.Stdout, "a"u8.ToArray(), CancellationToken.None);
        _time.Advance(TimeSpan.FromMilliseconds(50));
        _time.Advance(TimeSpan.FromMilliseconds(200));
        await _batcher.WriteAsync(LogStream.Stdout, "b"u8.ToArray(), CancellationToken.None);
        _time.Advance(TimeSpan.FromMilliseconds(49));
        Assert.Single(_sink.Chunks);

        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(["a", "b"], _sink.Chunks.Select(c => Encoding.ASCII.GetString(c.Data)));
    }

    [Fact]
    public async Task A_change_of_stream_hands_over_the_previous_stream_s_bytes_at_once()
    {
        await _batcher.WriteAsync(LogStream.Stdout, "out"u8.ToArray(), CancellationToken.None);
        await _batcher.WriteAsync(LogStream.Stderr, "err"u8.ToArray(), CancellationToken.None);

        var first = Assert.Single(_sink.Chunks);
        Assert.Equal((LogStream.Stdout, "out"), (first.Stream, Encoding.ASCII.GetString(first.Data)));

        _time.Advance(TimeSpan.FromMilliseconds(50));
        Assert.Equal((LogStream.Stderr, "err"), (_sink.Chunks[1].Stream, Encoding.ASCII.GetString(_sink.Chunks[1].Data)));
    }

    [Fact]
    public async Task The_farm_s_own_lines_are_marked_system_and_kept_apart_from_the_step_s_output()
    {
        await _batcher.WriteAsync(LogStream.Stdout, "building\n"u8.ToArray(), CancellationToken.None);
        _batcher.System("Entering phase BUILD");
        _batcher.Flush();

        Assert.Equal(
            [(LogStream.Stdout, "building\n"), (LogStream.System, "[buildfarm] Entering phase BUILD\n")],
            _sink.Chunks.Select(c => (c.Stream, Encoding.UTF8.GetString(c.Data))));
    }

    [Fact]
    public async Task A_10_MB_write_arrives_as_64_KiB_chunks_byte_for_byte()
    {
        var data = new byte[10 * 1024 * 1024];
        new Random(3).NextBytes(data);

        await _batcher.WriteAsync(LogStream.Stderr, data, CancellationToken.None);
        _batcher.Flush();

        var chunks = _sink.Chunks;
        Assert.Equal((data.Length + LogBatcher.MaxChunkBytes - 1) / LogBatcher.MaxChunkBytes, chunks.Count);
        Assert.All(chunks.SkipLast(1), c => Assert.Equal(LogBatcher.MaxChunkBytes, c.Data.Length));
        Assert.All(chunks, c => Assert.Equal(LogStream.Stderr, c.Stream));
        Assert.True(data.AsSpan().SequenceEqual(_sink.Bytes(LogStream.Stderr)), "the bytes differ");
    }

    [Fact]
    public async Task A_target_with_a_backlog_gets_MiB_chunks_and_64_KiB_ones_again_once_it_caught_up()
    {
        var data = new byte[3 * 1024 * 1024 + 512 * 1024];
        new Random(5).NextBytes(data);

        _sink.NextChunkBytes = LogBatcher.MaxBacklogChunkBytes;
        await _batcher.WriteAsync(LogStream.Stdout, data, CancellationToken.None);
        _batcher.Flush();
        _sink.NextChunkBytes = LogBatcher.MaxChunkBytes;
        await _batcher.WriteAsync(LogStream.Stdout, data.AsMemory(0, 200 * 1024), CancellationToken.None);
        _batcher.Flush();

        Assert.Equal(
            [1024 * 1024, 1024 * 1024, 1024 * 1024, 512 * 1024, 64 * 1024, 64 * 1024, 64 * 1024, 8 * 1024],
            _sink.Chunks.Select(c => c.Data.Length));
        Assert.True(data.Concat(data.Take(200 * 1024)).ToArray().AsSpan().SequenceEqual(_sink.Bytes(LogStream.Stdout)), "the bytes differ");
    }

    [Fact]
    public async Task Flush_with_nothing_buffered_hands_over_nothing_and_stops_the_timer()
    {
        _batcher.Flush();
        await _batcher.WriteAsync(LogStream.Stdout, "x"u8.ToArray(), CancellationToken.None);
        _batcher.Flush();
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Single(_sink.Chunks);
    }
}
