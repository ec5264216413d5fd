using System.Buffers;
using System.Text;
using BuildFarm.Core.Logs;

namespace BuildFarm.UnitTests.Core.Logs;

/// <summary>Runs bytes through a <see cref="SecretMasker"/> in given pieces, and a plain reference to compare with.</summary>
internal static class Masking
{
    public static byte[] Mask(SecretPatterns patterns, params byte[][] writes)
    {
        var masker = new SecretMasker(patterns);
        var output = new ArrayBufferWriter<byte>();
        foreach (var write in writes)
        {
            masker.Write(write, output);
            Assert.InRange(masker.HeldBytes, 0, Math.Max(0, patterns.MaxLength - 1));
        }

        masker.Flush(output);
        return output.WrittenSpan.ToArray();
    }

    public static string Mask(SecretPatterns patterns, params string[] writes) =>
        Encoding.UTF8.GetString(Mask(patterns, writes.Select(Encoding.UTF8.GetBytes).ToArray()));

    /// <summary>Splits <paramref name="data"/> at the given offsets.</summary>
    public static byte[][] Split(byte[] data, params int[] at)
    {
        var pieces = new List<byte[]>();
        var start = 0;
        foreach (var end in at.Append(data.Length))
        {
            pieces.Add(data[start..end]);
            start = end;
        }

        return [.. pieces];
    }

    /// <summary>The whole input at once, leftmost then longest match, no streaming: what the masker must equal.</summary>
    public static byte[] Reference(IEnumerable<byte[]> patterns, byte[] data)
    {
        var sorted = patterns.OrderByDescending(p => p.Length).ToArray();
        var output = new List<byte>();
        var position = 0;
        while (position < data.Length)
        {
            var match = sorted.FirstOrDefault(p => data.AsSpan(position).StartsWith(p));
            if (match is null)
            {
                output.Add(data[position++]);
                continue;
            }

            output.AddRange("***"u8.ToArray());
            position += match.Length;
        }

        return [.. output];
    }
}
