extern alias coordinator;

using System.Runtime.InteropServices;
using BuildFarm.Core.Logs;
using coordinator::BuildFarm.Coordinator.Logs;
using coordinator::BuildFarm.Coordinator.Persistence.Entities;

namespace BuildFarm.UnitTests.Coordinator.Logs;

public sealed class LogHubTests
{
    [Fact]
    public void Followers_of_a_compressed_chunk_get_its_bytes_at_their_offsets_from_one_decoded_copy()
    {
        var hub = new LogHub(TimeProvider.System);
        var jobId = Guid.NewGuid();
        var text = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("same line again\n", 4000)));
        var compressed = LogChunkCodec.Compress(text, LogChunkCodec.DefaultLevel)!;
        hub.Open(jobId, 10);
        hub.Append(jobId, [new LogSegment(10, 1, DateTimeOffset.UnixEpoch, "0123456789"u8.ToArray())]);
        hub.Append(jobId, new[]
        {
            new LogChunk { JobId = jobId, Seq = 2, Offset = 20, Length = text.Length, Stream = 1, Time = DateTimeOffset.UnixEpoch, Encoding = LogChunkEncoding.Zstd, Data = compressed },
        });

        var first = hub.Find(jobId)!.ReadFrom(15, out _, out _)!;
        var second = hub.Find(jobId)!.ReadFrom(25, out _, out _)!;

        Assert.Equal("56789"u8.ToArray(), first[0].Data.ToArray());
        Assert.Equal(text, first[1].Data.ToArray());
        Assert.Equal((20L, 20L + text.Length), (first[1].Offset, first[1].End));
        Assert.Equal(text[5..], second.Single().Data.ToArray());
        Assert.True(MemoryMarshal.TryGetArray(first[1].Data, out var a) && MemoryMarshal.TryGetArray(second[0].Data, out var b) && ReferenceEquals(a.Array, b.Array),
            "each follower decoded its own copy");
    }
}
