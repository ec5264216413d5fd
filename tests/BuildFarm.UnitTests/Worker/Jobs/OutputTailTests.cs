using System.Text;
using BuildFarm.Protos.V1;
using BuildFarm.UnitTests.Worker.Logs;
using BuildFarm.Worker.Jobs;
using BuildFarm.Worker.Logs;
using Microsoft.Extensions.Time.Testing;

namespace BuildFarm.UnitTests.Worker.Jobs;

public sealed class OutputTailTests
{
    [Theory]
    [InlineData(10)]
    [InlineData(100)]
    [InlineData(1000)]
    public async Task The_tail_is_the_last_bytes_written_whatever_the_write_sizes_and_all_output_passes_through(int maxWrite)
    {
        var sink = new RecordingChunkSink();
        using var batcher = new LogBatcher(sink, new FakeTimeProvider());
        var tail = new OutputTail(batcher, capacity: 256);
        var random = new Random(maxWrite);
        var written = new StringBuilder();
        for (var i = 0; i < 200; i++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(1, maxWrite)).Select(_ => (char)('a' + random.Next(26))));
            written.Append(text);
            await tail.WriteAsync(LogStream.Stdout, Encoding.ASCII.GetBytes(text), CancellationToken.None);
        }

        batcher.Flush();
        var all = written.ToString();
        Assert.Equal(all[^Math.Min(256, all.Length)..], tail.TakeText());
        Assert.Equal("", tail.TakeText());
        Assert.Equal(all, Encoding.ASCII.GetString(sink.Bytes(LogStream.Stdout)));
    }
}
