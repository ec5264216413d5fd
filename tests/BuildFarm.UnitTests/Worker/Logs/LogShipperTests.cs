using BuildFarm.Protos.V1;
using BuildFarm.UnitTests.Worker.Processes;
using BuildFarm.Worker.Coordinator;
using BuildFarm.Worker.Logs;
using BuildFarm.Worker.Options;
using Microsoft.Extensions.Logging.Abstractions;

namespace BuildFarm.UnitTests.Worker.Logs;

public sealed class LogShipperTests : IDisposable
{
    private const long MiB = 1024 * 1024;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Every_chunk_arrives_once_in_order_across_a_coordinator_restart_and_the_spill_file()
    {
        await using var coordinator = new FakeCoordinator { BreakFirstStreamAfter = 23 };
        await coordinator.StartAsync(CancellationToken.None);
        using var client = Client(coordinator.Address);
        var sent = new List<byte[]>();
        var random = new Random(5);

        await using (var shipper = new LogShipper(client, Guid.NewGuid(), Guid.NewGuid(), TimeProvider.System, NullLogger.Instance, Options(1 * MiB)))
        {
            // The coordinator is busy, so everything queues and most of it goes to the file.
            for (var i = 0; i < 120; i++)
            {
                var data = new byte[random.Next(1, 64 * 1024)];
                random.NextBytes(data);
                sent.Add(data);
                shipper.Enqueue((LogStream)(1 + (i % 3)), DateTimeOffset.UnixEpoch.AddSeconds(i), data);
            }

            Assert.True(shipper.SpilledBytes > 0, "nothing was spilled");
            coordinator.Open.SetResult();

            Assert.True(await shipper.CompleteAsync(Bound, CancellationToken.None), "the log was not completely acknowledged");
            Assert.Equal(120, shipper.Acked);
            Assert.True(shipper.PeakMemoryBytes <= 1 * MiB);
        }

        var stored = coordinator.Committed;
        Assert.True(coordinator.Streams >= 2, "the stream never broke");
        Assert.True(coordinator.Ended);
        Assert.Equal(Enumerable.Range(1, 120).Select(i => (long)i), stored.Select(c => c.Seq));
        Assert.Equal(Enumerable.Range(0, 120).Select(i => (int)(1 + (i % 3))), stored.Select(c => (int)c.Stream));
        Assert.All(sent.Zip(stored), pair => Assert.True(pair.First.AsSpan().SequenceEqual(pair.Second.Data.Span), $"chunk {pair.Second.Seq} differs"));
    }

    [Theory]
    [InlineData(40)]
    [InlineData(0)]
    public async Task A_new_attempt_continues_the_job_s_log_after_what_earlier_attempts_stored(long logSeqStart)
    {
        await using var coordinator = new FakeCoordinator();
        coordinator.Preload(40);
        coordinator.Open.SetResult();
        await coordinator.StartAsync(CancellationToken.None);
        using var client = Client(coordinator.Address);

        await using (var shipper = new LogShipper(client, Guid.NewGuid(), Guid.NewGuid(), TimeProvider.System, NullLogger.Instance, Options(1 * MiB), logSeqStart))
        {
            shipper.Enqueue(LogStream.Stdout, DateTimeOffset.UnixEpoch, "first\n"u8.ToArray());
            shipper.Enqueue(LogStream.Stderr, DateTimeOffset.UnixEpoch, "second\n"u8.ToArray());

            Assert.True(await shipper.CompleteAsync(Bound, CancellationToken.None), "the log was not completely acknowledged");
            Assert.Equal(42, shipper.Acked);
        }

        var stored = coordinator.Committed;
        Assert.Equal(Enumerable.Range(1, 42).Select(i => (long)i), stored.Select(c => c.Seq));
        Assert.Equal(["first\n", "second\n"], stored.Skip(40).Select(c => c.Data.ToStringUtf8()));
    }

    [Theory]
    [InlineData(1, LogEncoding.Zstd)]
    [InlineData(0, LogEncoding.Raw)]
    public async Task A_compressible_chunk_travels_zstd_compressed_unless_compression_is_off_and_decodes_byte_exact(int level, LogEncoding expected)
    {
        await using var coordinator = new FakeCoordinator();
        coordinator.Open.SetResult();
        await coordinator.StartAsync(CancellationToken.None);
        using var client = Client(coordinator.Address);
        // Repetitive like build output, with bytes that are not UTF-8.
        var text = Enumerable.Range(0, 2000).SelectMany(i => System.Text.Encoding.UTF8.GetBytes($"compiling module {i % 17}\u001b[32m ok\u001b[0m\r\n").Append((byte)0xff)).ToArray();
        var random = new byte[8 * 1024];
        new Random(9).NextBytes(random);
        var options = Options(1 * MiB);
        options.CompressionLevel = level;

        await using (var shipper = new LogShipper(client, Guid.NewGuid(), Guid.NewGuid(), TimeProvider.System, NullLogger.Instance, options))
        {
            shipper.Enqueue(LogStream.Stdout, DateTimeOffset.UnixEpoch, text);
            shipper.Enqueue(LogStream.Stderr, DateTimeOffset.UnixEpoch, random);
            Assert.True(await shipper.CompleteAsync(Bound, CancellationToken.None), "the log was not completely acknowledged");
        }

        var stored = coordinator.Committed;
        Assert.Equal(new[] { (int)expected, (int)LogEncoding.Raw }, stored.Select(c => (int)c.Encoding));
        Assert.Equal(text, stored[0].Data.ToByteArray());
        Assert.Equal(random, stored[1].Data.ToByteArray());
    }

    private static WorkerGatewayClient Client(Uri address) =>
        new(Microsoft.Extensions.Options.Options.Create(new WorkerOptions { CoordinatorUrl = address }));

    private LogOptions Options(long budget) => new() { MemoryBudgetBytes = budget, SpillDirectory = _temp.Combine("spill") };
}
