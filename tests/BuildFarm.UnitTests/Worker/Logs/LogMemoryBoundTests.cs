using BuildFarm.Protos.V1;
using BuildFarm.UnitTests.Worker.Processes;
using BuildFarm.Worker.Coordinator;
using BuildFarm.Worker.Logs;
using BuildFarm.Worker.Options;
using Microsoft.Extensions.Logging.Abstractions;

namespace BuildFarm.UnitTests.Worker.Logs;

/// <summary>A step prints 200 MB while the coordinator is away: the worker must not grow with it.</summary>
[Collection(MemoryMeasuringCollection.Name)]
public sealed class LogMemoryBoundTests : IDisposable
{
    private const long MiB = 1024 * 1024;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Memory_stays_within_the_budget_while_200_MB_wait_for_an_absent_coordinator()
    {
        const long budget = 8 * MiB;
        const int chunkBytes = 64 * 1024;
        const int chunks = 200 * 1024 * 1024 / chunkBytes;
        using var buffer = new SpillBuffer(_temp.Path, budget, TimeProvider.System);
        var data = new byte[chunkBytes];
        var before = GC.GetTotalMemory(forceFullCollection: true);

        for (var i = 0; i < chunks; i++)
        {
            Fill(data, i);
            buffer.Append(LogStream.Stdout, DateTimeOffset.UnixEpoch, data);
            Assert.True(buffer.MemoryBytes <= budget, $"{buffer.MemoryBytes} bytes in memory after chunk {i}");
        }

        var grown = GC.GetTotalMemory(forceFullCollection: true) - before;
        Assert.True(grown < budget + (8 * MiB), $"the process grew by {grown} bytes");
        Assert.True(buffer.PeakMemoryBytes <= budget);
        Assert.True(buffer.TotalSpilledBytes >= (200 * MiB) - budget);

        // Then the coordinator comes back: every byte arrives, in order (the backlog joined into bigger chunks).
        var next = 1L;
        var position = 0L;
        var expected = new byte[chunkBytes];
        while (buffer.TryGet(next, out var chunk))
        {
            var received = chunk.Data.Span;
            while (!received.IsEmpty)
            {
                var within = (int)(position % chunkBytes);
                var take = Math.Min(received.Length, chunkBytes - within);
                Fill(expected, (int)(position / chunkBytes));
                Assert.True(expected.AsSpan(within, take).SequenceEqual(received[..take]), $"byte {position} differs");
                received = received[take..];
                position += take;
            }

            buffer.Ack(next++);
            Assert.True(buffer.MemoryBytes <= budget);
        }

        Assert.Equal((long)chunks * chunkBytes, position);
        Assert.True(next - 1 < chunks / 4, $"{next - 1} chunks: the backlog was not joined");
        Assert.True(buffer.IsDrained);
    }

    [Fact]
    public async Task With_no_coordinator_200_MB_queue_without_blocking_and_within_the_memory_budget()
    {
        // Port 1 on loopback refuses connections: the coordinator is away for the whole test.
        using var client = new WorkerGatewayClient(Microsoft.Extensions.Options.Options.Create(new WorkerOptions { CoordinatorUrl = new Uri("http://127.0.0.1:1") }));
        var data = new byte[64 * 1024];
        await using var shipper = new LogShipper(client, Guid.NewGuid(), Guid.NewGuid(), TimeProvider.System, NullLogger.Instance, new LogOptions { MemoryBudgetBytes = 8 * MiB, SpillDirectory = _temp.Combine("spill") });
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var slowest = TimeSpan.Zero;

        for (var i = 0; i < 200 * 16; i++)
        {
            var started = TimeProvider.System.GetTimestamp();
            shipper.Enqueue(LogStream.Stdout, DateTimeOffset.UnixEpoch, data);
            var took = TimeProvider.System.GetElapsedTime(started);
            slowest = took > slowest ? took : slowest;
        }

        var grown = GC.GetTotalMemory(forceFullCollection: true) - before;
        Assert.True(shipper.PeakMemoryBytes <= 8 * MiB, $"peak {shipper.PeakMemoryBytes}");
        Assert.True(grown < 16 * MiB, $"the process grew by {grown} bytes");
        Assert.True(shipper.SpilledBytes >= 190 * MiB, $"spilled {shipper.SpilledBytes}");
        Assert.True(slowest < TimeSpan.FromSeconds(1), $"an Enqueue took {slowest}");
        Assert.False(await shipper.CompleteAsync(TimeSpan.FromMilliseconds(200), CancellationToken.None));
        Assert.Equal(0, shipper.Acked);
    }


    private static void Fill(byte[] data, int index)
    {
        new Random(index).NextBytes(data.AsSpan(0, 64));
        data.AsSpan(64).Fill((byte)index);
    }
}
