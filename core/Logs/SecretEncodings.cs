using System.Text;

namespace BuildFarm.Core.Logs;

/// <summary>
/// The forms in which a secret commonly reaches a log other than verbatim: percent-encoded (a
/// token in a URL or a form body) and base64 (an HTTP Basic header, a Kubernetes secret, a
/// docker config, a JWT-style base64url segment).
/// </summary>
internal static class SecretEncodings
{
    // A derived pattern must pin down at least this many bits of the secret, the same floor as for
    // the secret itself (SecretPatterns.MinimumSecretBytes), or it would match unrelated text.
    private const int MinimumBitsOfSecret = SecretPatterns.MinimumSecretBytes * 8;

    public static IEnumerable<byte[]> Forms(byte[] secret)
    {
        yield return secret;
        yield return PercentEncode(secret);

        // Standalone base64 of the value, padded and unpadded, in both alphabets.
        var standalone = Convert.ToBase64String(secret);
        yield return Encoding.ASCII.GetBytes(standalone);
        var unpadded = standalone.TrimEnd('=');
        yield return Encoding.ASCII.GetBytes(unpadded);
        yield return Encoding.ASCII.GetBytes(ToUrlAlphabet(unpadded));

        // Inside a longer base64 stream ("user:password" encoded as one blob) the secret starts at
        // one of three byte offsets modulo 3, and each gives different characters. For each offset,
        // skip the secret's bytes that share a 3-byte group with unknown bytes in front of it and
        // keep only the characters that depend on the secret alone: 8·n/6 of them for n bytes.
        for (var skip = 0; skip < 3 && skip < secret.Length; skip++)
        {
            var rest = secret.AsSpan(skip);
            var determined = rest.Length * 8 / 6;
            if (determined * 6 < MinimumBitsOfSecret)
            {
                continue;
            }

            var aligned = Convert.ToBase64String(rest)[..determined];
            yield return Encoding.ASCII.GetBytes(aligned);
            yield return Encoding.ASCII.GetBytes(ToUrlAlphabet(aligned));
        }
    }

    /// <summary>RFC 3986 percent-encoding with upper-case hex, as Uri.EscapeDataString, curl and most clients write it.</summary>
    public static byte[] PercentEncode(ReadOnlySpan<byte> value)
    {
        const string hex = "0123456789ABCDEF";
        var result = new List<byte>(value.Length * 3);
        foreach (var b in value)
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~')
            {
                result.Add(b);
            }
            else
            {
                result.Add((byte)'%');
                result.Add((byte)hex[b >> 4]);
                result.Add((byte)hex[b & 0xF]);
            }
        }

        return [.. result];
    }

    private static string ToUrlAlphabet(string base64) => base64.Replace('+', '-').Replace('/', '_');
}
