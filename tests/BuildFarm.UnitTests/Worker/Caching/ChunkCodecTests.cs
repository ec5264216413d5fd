using System.Security.Cryptography;
using System.Text;
using BuildFarm.Worker.Caching;

namespace BuildFarm.UnitTests.Worker.Caching;

public sealed class ChunkCodecTests
{
    [Fact]
    public void Incompressible_chunks_are_stored_as_they_are_and_compressible_ones_shrink_both_round_trip()
    {
        var random = RandomNumberGenerator.GetBytes(200_000);
        var text = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("<dependency>org.example:lib:1.0</dependency>\n", 5000)));
        var codec = new ChunkCodec(3);

        foreach (var (raw, compressible) in new[] { (random, false), (text, true) })
        {
            var stored = codec.Compress(raw, out var buffer).ToArray();
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            var back = new byte[raw.Length];
            ChunkCodec.DecompressVerified(stored, back, Convert.ToHexStringLower(SHA256.HashData(raw)));

            Assert.Equal(raw, back);
            Assert.Equal(compressible, stored.Length < raw.Length / 2);
        }
    }

    [Fact]
    public void A_stored_chunk_with_one_flipped_byte_is_corrupt()
    {
        var raw = RandomNumberGenerator.GetBytes(200_000);
        var stored = new ChunkCodec(3).Compress(raw, out _).ToArray();
        stored[^1] ^= 0xFF;

        var error = Assert.Throws<CacheCorruptException>(() => ChunkCodec.DecompressVerified(stored, new byte[raw.Length], Convert.ToHexStringLower(SHA256.HashData(raw))));
        Assert.Contains("does not match its hash", error.Message);
    }
}
