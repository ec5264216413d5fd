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

    [Fact]
    public void Small_chunks_are_sampled_too_incompressible_ones_stored_as_they_are_and_text_still_compressed()
    {
        var random = RandomNumberGenerator.GetBytes(20_000);
        var text = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("<dependency>org.example:lib:1.0</dependency>\n", 450)));
        var codec = new ChunkCodec(3);

        var storedRandom = codec.Compress(random, out var randomBuffer).ToArray();
        var storedText = codec.Compress(text, out var textBuffer).ToArray();
        System.Buffers.ArrayPool<byte>.Shared.Return(randomBuffer);
        System.Buffers.ArrayPool<byte>.Shared.Return(textBuffer);

        Assert.True(storedRandom.AsSpan().StartsWith("BFR0"u8));
        Assert.True(storedText.Length < text.Length / 4);
    }

    [Fact]
    public void Decoding_in_place_returns_the_content_and_catches_a_flipped_byte_in_raw_and_compressed_blobs()
    {
        var random = RandomNumberGenerator.GetBytes(200_000);
        var text = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("<dependency>org.example:lib:1.0</dependency>\n", 5000)));
        var codec = new ChunkCodec(3);

        foreach (var raw in new[] { random, text })
        {
            var hash = Convert.ToHexStringLower(SHA256.HashData(raw));
            var stored = codec.Compress(raw, out _).ToArray();
            var content = ChunkCodec.DecodeVerified(stored, raw.Length, hash, out var pooled);
            Assert.Equal(raw, content.ToArray());
            if (pooled is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(pooled);
            }

            stored[^1] ^= 0xFF;
            Assert.Throws<CacheCorruptException>(() => ChunkCodec.DecodeVerified(stored, raw.Length, hash, out _));
        }
    }
}
