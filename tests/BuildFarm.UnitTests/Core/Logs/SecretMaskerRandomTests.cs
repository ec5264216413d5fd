using System.Text;
using BuildFarm.Core.Logs;

namespace BuildFarm.UnitTests.Core.Logs;

/// <summary>Random streams full of near-misses, cut at random places, against the whole-buffer reference.</summary>
public sealed class SecretMaskerRandomTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Streaming_in_random_pieces_equals_masking_the_whole_stream_at_once(int seed)
    {
        var random = new Random(seed);
        string[] secrets = ["abcab", "abcabd", "bca", "xyzzy-42", "p@ss w/rd"];
        var patterns = SecretPatterns.Create(secrets);
        var forms = secrets.SelectMany(s => SecretEncodings.Forms(Encoding.UTF8.GetBytes(s))).ToList();
        // Fragments of the patterns, so partial matches and overlaps are frequent.
        var pieces = forms.SelectMany(f => new[] { f, f[..(f.Length / 2)], f[(f.Length / 3)..] })
            .Append([0xff]).Append(" "u8.ToArray()).Append([0xc3, 0x28]).ToArray();

        for (var round = 0; round < 200; round++)
        {
            var data = Enumerable.Range(0, random.Next(0, 60)).SelectMany(_ => pieces[random.Next(pieces.Length)]).ToArray();
            var cuts = Enumerable.Range(0, random.Next(0, 6)).Select(_ => random.Next(0, data.Length + 1)).Order().ToArray();

            var masked = Masking.Mask(patterns, Masking.Split(data, cuts));

            Assert.Equal(Masking.Reference(forms, data), masked);
        }
    }

    [Fact]
    public void Large_writes_with_secrets_near_the_vector_boundaries_equal_the_reference()
    {
        var random = new Random(7);
        string[] secrets = ["token-1234567890", "zz9"];
        var patterns = SecretPatterns.Create(secrets);
        var forms = secrets.SelectMany(s => SecretEncodings.Forms(Encoding.UTF8.GetBytes(s))).ToList();
        var data = new byte[200_000];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (byte)random.Next(32, 127);
        }

        // Secrets at every offset modulo 64 around the places where vector blocks meet.
        for (var at = 100; at + 40 < data.Length; at += 997)
        {
            forms[random.Next(forms.Count)].CopyTo(data, at);
        }

        var masked = Masking.Mask(patterns, Masking.Split(data, 65_536, 65_550, 131_072));

        Assert.Equal(Masking.Reference(forms, data), masked);
    }
}
