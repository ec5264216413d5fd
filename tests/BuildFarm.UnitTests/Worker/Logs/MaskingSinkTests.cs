using System.Text;
using BuildFarm.Core.Logs;
using BuildFarm.Protos.V1;
using BuildFarm.UnitTests.Worker.Processes;
using BuildFarm.Worker.Logs;
using BuildFarm.Worker.Processes;

namespace BuildFarm.UnitTests.Worker.Logs;

public sealed class MaskingSinkTests : IDisposable
{
    private static readonly SecretPatterns Secrets = SecretPatterns.Create(["hunter2", "tok-3141592"]);

    private readonly TempDirectory _temp = new();
    private readonly CollectingSink _inner = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_secret_split_across_two_stdout_reads_is_masked_even_with_stderr_in_between()
    {
        var sink = new MaskingSink(_inner, Secrets);

        await sink.WriteAsync(LogStream.Stdout, "pass=hun"u8.ToArray(), CancellationToken.None);
        await sink.WriteAsync(LogStream.Stderr, "warn: tok-31"u8.ToArray(), CancellationToken.None);
        await sink.WriteAsync(LogStream.Stdout, "ter2\n"u8.ToArray(), CancellationToken.None);
        await sink.WriteAsync(LogStream.Stderr, "41592!\n"u8.ToArray(), CancellationToken.None);
        await sink.FlushAsync(CancellationToken.None);

        Assert.Equal("pass=***\n", _inner.Text(LogStream.Stdout));
        Assert.Equal("warn: ***!\n", _inner.Text(LogStream.Stderr));
        Assert.Equal(2, sink.Replacements);
    }

    [Fact]
    public async Task Halves_of_a_secret_on_different_streams_are_not_a_secret_and_come_out_on_flush()
    {
        var sink = new MaskingSink(_inner, Secrets);

        await sink.WriteAsync(LogStream.Stdout, "hun"u8.ToArray(), CancellationToken.None);
        await sink.WriteAsync(LogStream.Stderr, "ter2"u8.ToArray(), CancellationToken.None);
        Assert.Equal("", _inner.Text(LogStream.Stdout));

        await sink.FlushAsync(CancellationToken.None);

        Assert.Equal("hun", _inner.Text(LogStream.Stdout));
        Assert.Equal("ter2", _inner.Text(LogStream.Stderr));
    }

    [Fact]
    public async Task Without_secrets_the_bytes_pass_through_unchanged()
    {
        var sink = new MaskingSink(_inner, SecretPatterns.None);
        byte[] data = [0xff, 0xfe, .. "hunter2"u8, 0xc3];

        await sink.WriteAsync(LogStream.Stdout, data, CancellationToken.None);
        await sink.FlushAsync(CancellationToken.None);

        Assert.Equal(data, _inner.Bytes(LogStream.Stdout));
    }

    [Fact]
    public async Task A_real_step_that_prints_a_secret_in_pieces_has_it_masked()
    {
        var sink = new MaskingSink(_inner, Secrets);
        var script = "printf 'token: hun'; sleep 0.1; printf 'ter2\\n'; printf '%s\\n' \"$(printf hunter2 | base64)\" >&2";
        await using var step = StepProcess.Start(Steps.Info(_temp, script), sink);

        Assert.Equal(0, await Steps.RunAsync(step));
        await sink.FlushAsync(CancellationToken.None);

        Assert.Equal("token: ***\n", _inner.Text(LogStream.Stdout));
        Assert.Equal("***\n", _inner.Text(LogStream.Stderr));
    }

    [Fact]
    public async Task Masked_output_goes_on_through_the_batcher_with_its_streams()
    {
        var chunks = new RecordingChunkSink();
        using var batcher = new LogBatcher(chunks, TimeProvider.System);
        var sink = new MaskingSink(batcher, Secrets);

        await sink.WriteAsync(LogStream.Stdout, Encoding.UTF8.GetBytes("a hunter2 b\n"), CancellationToken.None);
        await sink.WriteAsync(LogStream.Stderr, Encoding.UTF8.GetBytes("c tok-3141592 d\n"), CancellationToken.None);
        await sink.FlushAsync(CancellationToken.None);
        batcher.Flush();

        Assert.Equal(
            [(LogStream.Stdout, "a *** b\n"), (LogStream.Stderr, "c *** d\n")],
            chunks.Chunks.Select(c => (c.Stream, Encoding.UTF8.GetString(c.Data))));
    }
}
