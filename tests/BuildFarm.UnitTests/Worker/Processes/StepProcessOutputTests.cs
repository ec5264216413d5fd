using BuildFarm.Protos.V1;
using BuildFarm.Worker.Processes;

namespace BuildFarm.UnitTests.Worker.Processes;

public sealed class StepProcessOutputTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Stdout_and_stderr_bytes_arrive_exactly_including_invalid_utf8_cr_and_ansi()
    {
        var sink = new CollectingSink();
        var script = """
            printf 'a\377\376b\r\nprogress 10%%\rprogress 99%%\r\033[31mred\033[0m'
            printf 'err\377\r\n' >&2
            """;

        await using var step = StepProcess.Start(Steps.Info(_temp, script), sink);
        var exitCode = await Steps.RunAsync(step);

        Assert.Equal(0, exitCode);
        Assert.Equal(
            [(byte)'a', 0xff, 0xfe, (byte)'b', (byte)'\r', (byte)'\n', .. "progress 10%\rprogress 99%\r"u8, 0x1b, .. "[31mred"u8, 0x1b, .. "[0m"u8],
            sink.Bytes(LogStream.Stdout));
        Assert.Equal([.. "err"u8, 0xff, (byte)'\r', (byte)'\n'], sink.Bytes(LogStream.Stderr));
        Assert.Empty(sink.Bytes(LogStream.System));
    }

    [Fact]
    public async Task A_10_MB_line_without_newline_arrives_byte_for_byte_on_both_streams()
    {
        var expected = new byte[10 * 1024 * 1024];
        new Random(42).NextBytes(expected);
        // Random bytes may contain newlines; the point is "no line structure", so make sure of it.
        expected.AsSpan().Replace((byte)'\n', (byte)0xff);
        await File.WriteAllBytesAsync(_temp.Combine("big.bin"), expected);
        var sink = new CollectingSink();

        await using var step = StepProcess.Start(Steps.Info(_temp, "cat big.bin; cat big.bin >&2"), sink);
        var exitCode = await Steps.RunAsync(step);

        Assert.Equal(0, exitCode);
        Assert.True(expected.AsSpan().SequenceEqual(sink.Bytes(LogStream.Stdout)), "stdout differs");
        Assert.True(expected.AsSpan().SequenceEqual(sink.Bytes(LogStream.Stderr)), "stderr differs");
    }

    [Fact]
    public async Task A_slow_sink_still_receives_every_byte_in_order()
    {
        var sink = new SlowSink();
        await using var step = StepProcess.Start(Steps.Info(_temp, "seq 1 20000"), sink);

        var exitCode = await Steps.RunAsync(step);

        Assert.Equal(0, exitCode);
        Assert.Equal(string.Concat(Enumerable.Range(1, 20000).Select(i => $"{i}\n")), sink.Inner.Text(LogStream.Stdout));
    }

    [Fact]
    public async Task A_sink_that_throws_fails_the_wait_and_does_not_block_the_child()
    {
        await using var step = StepProcess.Start(Steps.Info(_temp, "seq 1 200000; echo done > marker"), new BrokenSink());

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => Steps.RunAsync(step));

        Assert.Equal("sink is broken", failure.Message);
        Assert.True(File.Exists(_temp.Combine("marker")), "the child was blocked on a full pipe");
    }

    [Fact]
    public async Task A_step_prints_768_KiB_ahead_of_a_sink_that_has_not_returned()
    {
        // The first write waits until the step got past its 768 KiB: with the kernel's default
        // 64 KiB pipe the step would be stuck on the full pipe and the marker would never appear.
        var marker = _temp.Combine("marker");
        var sink = new WaitingSink(marker);
        await using var step = StepProcess.Start(Steps.Info(_temp, "head -c 786432 /dev/zero; touch marker"), sink);

        var exitCode = await Steps.RunAsync(step);

        Assert.Equal(0, exitCode);
        Assert.True(sink.SawMarker, "the step was blocked while the sink had not returned");
        Assert.Equal(786432, sink.Inner.Bytes(LogStream.Stdout).Length);
    }

    [Fact]
    public void The_step_pipes_are_widened_to_1_MiB()
    {
        using var pipe = new System.IO.Pipes.AnonymousPipeServerStream(System.IO.Pipes.PipeDirection.In);

        StepLauncher.WidenPipe(pipe);

        Assert.Equal(StepLauncher.PipeBytes, StepLauncher.PipeSize(pipe));
    }

    [Fact]
    public async Task Output_printed_at_full_speed_reaches_the_sink_in_few_large_writes()
    {
        // head writes 8 KiB at a time: 256 pieces, and read as they land they would be 256 sink calls.
        // The reader's pause gathers them (a handful of writes when the machine is idle); the bound
        // is loose because a loaded machine may give head little CPU during each pause.
        var sink = new CountingSink();
        await using var step = StepProcess.Start(Steps.Info(_temp, "head -c 2097152 /dev/zero"), sink);

        var exitCode = await Steps.RunAsync(step);

        Assert.Equal(0, exitCode);
        Assert.Equal(2097152, sink.Inner.Bytes(LogStream.Stdout).Length);
        Assert.InRange(sink.Writes, 1, 64);
    }

    private sealed class CountingSink : IOutputSink
    {
        private int _writes;

        public CollectingSink Inner { get; } = new();

        public int Writes => Volatile.Read(ref _writes);

        public ValueTask WriteAsync(LogStream stream, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _writes);
            return Inner.WriteAsync(stream, data, cancellationToken);
        }
    }

    private sealed class WaitingSink(string marker) : IOutputSink
    {
        private bool _waited;

        public CollectingSink Inner { get; } = new();

        public bool SawMarker { get; private set; }

        public async ValueTask WriteAsync(LogStream stream, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            if (!_waited)
            {
                _waited = true;
                var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
                while (!File.Exists(marker) && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(10, cancellationToken);
                }

                SawMarker = File.Exists(marker);
            }

            await Inner.WriteAsync(stream, data, cancellationToken);
        }
    }

    private sealed class SlowSink : IOutputSink
    {
        public CollectingSink Inner { get; } = new();

        public async ValueTask WriteAsync(LogStream stream, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            await Task.Delay(1, cancellationToken);
            await Inner.WriteAsync(stream, data, cancellationToken);
        }
    }

    private sealed class BrokenSink : IOutputSink
    {
        public ValueTask WriteAsync(LogStream stream, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("sink is broken");
    }
}
