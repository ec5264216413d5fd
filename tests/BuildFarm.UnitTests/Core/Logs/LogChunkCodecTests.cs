using System.Text;
using BuildFarm.Core.Logs;

namespace BuildFarm.UnitTests.Core.Logs;

public sealed class LogChunkCodecTests
{
    [Fact]
    public void Repetitive_output_compresses_and_decodes_byte_exact()
    {
        var raw = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("y\u00e9s \u001b[1mbold\u001b[0m\r\n", 5000))).Append((byte)0xc3).ToArray();

        var compressed = LogChunkCodec.Compress(raw, LogChunkCodec.DefaultLevel);

        Assert.NotNull(compressed);
        Assert.True(compressed.Length < raw.Length / 8, $"{compressed.Length} of {raw.Length} bytes");
        Assert.Equal(raw, LogChunkCodec.Decode(LogChunkEncoding.Zstd, compressed, raw.Length));
    }

    [Theory]
    [InlineData(64 * 1024, 1)]
    [InlineData(100, 1)]
    [InlineData(64 * 1024, 0)]
    public void Random_tiny_or_uncompressed_chunks_stay_raw(int length, int level)
    {
        var raw = new byte[length];
        new Random(length).NextBytes(raw);
        if (level == 0)
        {
            raw.AsSpan().Fill((byte)'a');
        }

        Assert.Null(LogChunkCodec.Compress(raw, level));
    }

    [Fact]
    public void The_length_check_reads_the_frame_header_and_refuses_a_wrong_length()
    {
        var raw = Encoding.ASCII.GetBytes(new string('z', 50_000));
        var compressed = LogChunkCodec.Compress(raw, LogChunkCodec.DefaultLevel)!;

        LogChunkCodec.CheckLength(LogChunkEncoding.Zstd, compressed, raw.Length);
        LogChunkCodec.CheckLength(LogChunkEncoding.Raw, raw, raw.Length);
        Assert.Throws<InvalidDataException>(() => LogChunkCodec.CheckLength(LogChunkEncoding.Zstd, compressed, raw.Length - 1));
        Assert.Throws<InvalidDataException>(() => LogChunkCodec.CheckLength(LogChunkEncoding.Raw, raw, raw.Length + 1));
        Assert.Throws<InvalidDataException>(() => LogChunkCodec.CheckLength(LogChunkEncoding.Zstd, "not zstd at all"u8.ToArray(), 15));
        Assert.Throws<InvalidDataException>(() => LogChunkCodec.CheckLength((LogChunkEncoding)7, compressed, raw.Length));
    }

    [Fact]
    public void A_raw_chunk_decodes_to_itself()
    {
        var stored = "as printed\n"u8.ToArray();

        Assert.Same(stored, LogChunkCodec.Decode(LogChunkEncoding.Raw, stored, stored.Length));
    }

    [Fact]
    public void A_frame_that_does_not_decode_to_its_length_or_an_unknown_encoding_is_refused()
    {
        var raw = Encoding.ASCII.GetBytes(new string('x', 10_000));
        var compressed = LogChunkCodec.Compress(raw, LogChunkCodec.DefaultLevel)!;

        Assert.Throws<InvalidDataException>(() => LogChunkCodec.Decode(LogChunkEncoding.Zstd, compressed, raw.Length + 1));
        Assert.Throws<InvalidDataException>(() => LogChunkCodec.Decode(LogChunkEncoding.Zstd, compressed, raw.Length - 1));
        Assert.Throws<InvalidDataException>(() => LogChunkCodec.Decode(LogChunkEncoding.Zstd, "not zstd at all"u8.ToArray(), 15));
        Assert.Throws<InvalidDataException>(() => LogChunkCodec.Decode(LogChunkEncoding.Zstd, compressed, LogChunkCodec.MaxDecodedBytes + 1));
        Assert.Throws<InvalidDataException>(() => LogChunkCodec.Decode((LogChunkEncoding)7, compressed, raw.Length));
    }
}
