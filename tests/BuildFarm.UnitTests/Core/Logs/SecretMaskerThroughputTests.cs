using System.Buffers;
using System.Diagnostics;
using BuildFarm.Core.Logs;

namespace BuildFarm.UnitTests.Core.Logs;

/// <summary>
/// Guards against a masker that is accidentally quadratic or byte-at-a-time. The bound is loose on
/// purpose (debug build, shared machine); the real figure comes from a release build: ≥ 500 MB/s.
/// </summary>
public sealed class SecretMaskerThroughputTests
{
    private static readonly SecretPatterns Secrets = SecretPatterns.Create(["ghp_16C7e42F292c6912E7710c838347Ae178B4a", "AKIAIOSFODNN7EXAMPLE", "the-password"]);

    [Theory]
    [InlineData("plain text")]
    [InlineData("near misses")]
    [InlineData("one repeated byte")]
    public void Thirty_two_MiB_in_64_KiB_writes_take_well_under_ten_seconds(string kind)
    {
        byte[] line = kind switch
        {
            "plain text" => "2025-01-01T12:00:00Z INFO compiling com.example.service: 142 files, the quick brown fox\n"u8.ToArray(),
            "near misses" => "ghp_16C7e42F292c AKIAIOSFODNN7 the-passwor the-pass aGhlLXBhc3N3b3 "u8.ToArray(),
            _ => [(byte)'a'],
        };
        var block = new byte[64 * 1024];
        for (var i = 0; i < block.Length; i++)
        {
            block[i] = line[i % line.Length];
        }

        var masker = new SecretMasker(Secrets);
        var output = new ArrayBufferWriter<byte>(2 * block.Length);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 512; i++)
        {
            masker.Write(block, output);
            output.ResetWrittenCount();
        }

        masker.Flush(output);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"32 MiB of {kind} took {clock.Elapsed}");
        Assert.Equal(0, masker.Replacements);
    }
}
