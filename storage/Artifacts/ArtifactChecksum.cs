using System.Security.Cryptography;

namespace BuildFarm.Storage.Artifacts;

/// <summary>
/// The checksum file kept beside each artifact, in <c>sha256sum</c> format so that
/// <c>sha256sum -c primary.zip.sha256</c> checks a downloaded artifact.
/// </summary>
internal static class ArtifactChecksum
{
    private const int HexLength = 64;

    public static string Format(string sha256, string key) => $"{sha256}  {key[(key.LastIndexOf('/') + 1)..]}\n";

    public static bool TryParse(string text, out string sha256)
    {
        sha256 = text.Length >= HexLength ? text[..HexLength] : "";
        return sha256.Length == HexLength && sha256.All(char.IsAsciiHexDigitLower);
    }

    public static string Hex(IncrementalHash hash) => Convert.ToHexStringLower(hash.GetHashAndReset());

    /// <summary>Reads the stream to its end; for content stored without a checksum file (by hand, or before a crash).</summary>
    public static async Task<(long Length, string Sha256)> ComputeAsync(Stream content, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[128 * 1024];
        long length = 0;
        int read;
        while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            length += read;
        }

        return (length, Hex(hash));
    }
}
