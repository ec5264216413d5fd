using System.Buffers;
using System.Text;
using BuildFarm.Core.Logs;

namespace BuildFarm.UnitTests.Core.Logs;

public sealed class SecretMaskerTests
{
    private static readonly SecretPatterns Hunter = SecretPatterns.Create(["hunter2"]);

    [Fact]
    public void Without_secrets_every_byte_comes_out_unchanged()
    {
        var data = new byte[1 << 20];
        new Random(1).NextBytes(data);

        Assert.Equal(data, Masking.Mask(SecretPatterns.None, Masking.Split(data, 10, 70_000, 500_000)));
        Assert.Equal(data, Masking.Mask(SecretPatterns.Create([]), data));
    }

    [Fact]
    public void Secrets_that_do_not_occur_leave_random_bytes_unchanged()
    {
        // Printable secrets cannot occur in bytes drawn from 0x80-0xFF, whatever the seed.
        var data = new byte[300_000];
        new Random(2).NextBytes(data);
        for (var i = 0; i < data.Length; i++)
        {
            data[i] |= 0x80;
        }

        Assert.Equal(data, Masking.Mask(SecretPatterns.Create(["hunter2", "ghp_abcdefghijklmnop"]), Masking.Split(data, 1, 65_536, 65_537)));
    }

    [Fact]
    public void A_secret_is_replaced_with_three_stars()
    {
        Assert.Equal("password=*** and again *** done", Masking.Mask(Hunter, "password=hunter2 and again hunter2 done"));
        Assert.Equal("***", Masking.Mask(Hunter, "hunter2"));
        Assert.Equal("******", Masking.Mask(Hunter, "hunter2hunter2"));
    }

    [Fact]
    public void A_secret_split_across_two_writes_is_masked_at_every_split_point()
    {
        var text = Encoding.UTF8.GetBytes("before hunter2 middle aHVudGVyMg== after");
        var expected = Masking.Mask(Hunter, text);
        Assert.Equal("before *** middle *** after", Encoding.UTF8.GetString(expected));

        for (var split = 0; split <= text.Length; split++)
        {
            Assert.Equal(expected, Masking.Mask(Hunter, Masking.Split(text, split)));
        }
    }

    [Fact]
    public void A_secret_split_across_three_writes_is_masked_for_every_pair_of_split_points()
    {
        var text = Encoding.UTF8.GetBytes("xhunter2yhunter2");
        var expected = Encoding.UTF8.GetBytes("x***y***");

        for (var first = 0; first <= text.Length; first++)
        {
            for (var second = first; second <= text.Length; second++)
            {
                Assert.Equal(expected, Masking.Mask(Hunter, Masking.Split(text, first, second)));
            }
        }
    }

    [Fact]
    public void One_byte_per_write_gives_the_same_result_as_one_write()
    {
        var patterns = SecretPatterns.Create(["hunter2", "s3cr3t-token", "p@ss/w0rd!"]);
        var text = Encoding.UTF8.GetBytes("a hunter2 b s3cr3t-token c p%40ss%2Fw0rd%21 d aHVudGVyMg e s3cr3t-toke");
        var whole = Masking.Mask(patterns, text);

        Assert.Equal(whole, Masking.Mask(patterns, text.Select(b => new[] { b }).ToArray()));
        Assert.Equal("a *** b *** c *** d *** e s3cr3t-toke", Encoding.UTF8.GetString(whole));
    }

    [Fact]
    public void Several_secrets_are_all_masked()
    {
        var patterns = SecretPatterns.Create(["alpha-key", "BETA_TOKEN", "gamma"]);

        Assert.Equal("*** *** *** alpha BETA ***", Masking.Mask(patterns, "alpha-key BETA_TOKEN gamma alpha BETA gamma"));
    }

    [Fact]
    public void Where_secrets_overlap_the_leftmost_wins_and_at_one_place_the_longest()
    {
        var patterns = SecretPatterns.Create(["secret", "secret-longer", "cret-lo"]);

        Assert.Equal("***", Masking.Mask(patterns, "secret-longer"));
        Assert.Equal("***-long", Masking.Mask(patterns, "secret-long"));
        Assert.Equal("x***x", Masking.Mask(patterns, "xcret-lox"));
        // Split right after the short secret: the masker must wait to see whether the long one follows.
        Assert.Equal("***", Masking.Mask(patterns, "secret", "-longer"));
        Assert.Equal("***-long", Masking.Mask(patterns, "secret", "-long"));
    }

    [Fact]
    public void Secrets_sharing_a_prefix_are_told_apart()
    {
        var patterns = SecretPatterns.Create(["abcdef", "abcxyz"]);

        Assert.Equal("*** *** abcd abc", Masking.Mask(patterns, "abcdef abcxyz abcd abc"));
        Assert.Equal("*** *** abcd abc", Masking.Mask(patterns, "abc", "def abc", "xyz abcd ab", "c"));
    }

    [Fact]
    public void The_base64_form_of_a_secret_is_masked_with_and_without_padding()
    {
        Assert.Equal("Authorization: ***", Masking.Mask(Hunter, "Authorization: aHVudGVyMg=="));
        Assert.Equal("jwt.***.sig", Masking.Mask(Hunter, "jwt.aHVudGVyMg.sig"));
    }

    [Fact]
    public void The_base64url_form_of_a_secret_is_masked()
    {
        // base64 of this value contains '/', which base64url writes as '_'.
        var patterns = SecretPatterns.Create(["subjects?_d"]);
        Assert.Equal("c3ViamVjdHM/X2Q=", Convert.ToBase64String("subjects?_d"u8));

        Assert.Equal("a *** b *** c", Masking.Mask(patterns, "a c3ViamVjdHM/X2Q= b c3ViamVjdHM_X2Q c"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("u")]
    [InlineData("us")]
    [InlineData("user:")]
    [InlineData("a longer prefix of 22:")]
    [InlineData("a longer prefix of 23!:")]
    public void A_secret_inside_a_longer_base64_blob_is_masked_at_every_alignment(string prefix)
    {
        var secret = "correct-horse-battery";
        var blob = Convert.ToBase64String(Encoding.UTF8.GetBytes(prefix + secret + ":tail"));

        var masked = Masking.Mask(SecretPatterns.Create([secret]), "Basic " + blob);

        Assert.Contains("***", masked, StringComparison.Ordinal);
        // The characters that depend on the secret alone are gone; at most a few boundary ones stay.
        var kept = masked.Length - "Basic ".Length - "***".Length;
        Assert.True(kept <= blob.Length - ((secret.Length - 2) * 8 / 6), $"'{masked}' keeps too much of '{blob}'");
    }

    [Fact]
    public void The_url_encoded_form_of_a_secret_is_masked()
    {
        var patterns = SecretPatterns.Create(["p@ss/w0rd!"]);

        Assert.Equal("https://user:***@host/?q=***", Masking.Mask(patterns, "https://user:p%40ss%2Fw0rd%21@host/?q=p@ss/w0rd!"));
    }

    [Fact]
    public void Invalid_utf8_around_and_inside_a_secret_passes_through_unchanged()
    {
        byte[] secret = [0xff, 0xfe, (byte)'k', (byte)'e', (byte)'y', 0xc3];
        var patterns = SecretPatterns.FromBytes([secret]);
        byte[] data = [0xc3, 0x28, .. secret, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0x1b, (byte)'[', (byte)'0', (byte)'m'];

        var masked = Masking.Mask(patterns, Masking.Split(data, 3, 4));

        Assert.Equal([0xc3, 0x28, .. "***"u8, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0x1b, (byte)'[', (byte)'0', (byte)'m'], masked);
    }

    [Theory]
    [InlineData("")]
    [InlineData("x")]
    [InlineData("ab")]
    public void Values_shorter_than_three_bytes_are_not_secrets(string value)
    {
        var patterns = SecretPatterns.Create([value, null]);

        Assert.True(patterns.IsEmpty);
        Assert.Equal("x ab abc", Masking.Mask(patterns, "x ab abc"));
    }

    [Fact]
    public void Output_that_cannot_start_a_secret_is_released_at_once()
    {
        var masker = new SecretMasker(Hunter);
        var output = new ArrayBufferWriter<byte>();

        masker.Write("progress 10%\r"u8, output);

        Assert.Equal("progress 10%\r", Encoding.UTF8.GetString(output.WrittenSpan));
        Assert.Equal(0, masker.HeldBytes);
    }

    [Fact]
    public void The_start_of_a_secret_is_held_back_until_the_next_write_or_the_flush()
    {
        var masker = new SecretMasker(Hunter);
        var output = new ArrayBufferWriter<byte>();

        masker.Write("login hunt"u8, output);
        Assert.Equal("login ", Encoding.UTF8.GetString(output.WrittenSpan));
        Assert.Equal(4, masker.HeldBytes);

        masker.Flush(output);
        Assert.Equal("login hunt", Encoding.UTF8.GetString(output.WrittenSpan));
        Assert.Equal(0, masker.HeldBytes);
    }

    [Fact]
    public void Replacements_are_counted()
    {
        var masker = new SecretMasker(Hunter);
        var output = new ArrayBufferWriter<byte>();

        masker.Write("hunter2 hun"u8, output);
        masker.Write("ter2 aHVudGVyMg=="u8, output);
        masker.Flush(output);

        Assert.Equal(3, masker.Replacements);
    }
}
