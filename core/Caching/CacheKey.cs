using System.Security.Cryptography;
using System.Text;

namespace BuildFarm.Core.Caching;

/// <summary>
/// Cache keys: the automatic Gradle key and the rules every key obeys. A key is part of object
/// names in every store, so only characters that are safe in Redis keys, S3 object keys and file
/// names are allowed.
/// </summary>
public static class CacheKey
{
    public const int MaxLength = 200;

    /// <summary>The automatic key's prefix; a namespace's newest Gradle entry is found by it when the exact key misses.</summary>
    public static string GradlePrefix(string @namespace, string platform) => $"gradle-{Sanitize(@namespace)}-{Sanitize(platform)}-";

    /// <summary>
    /// The automatic key of a Gradle project: its namespace (pipeline or a shared name), the OS and
    /// architecture, and a hash of its lockfiles that is the same whatever order the files were
    /// found in and whatever line endings a checkout gave them.
    /// </summary>
    public static string ForGradle(string @namespace, string platform, IEnumerable<CacheKeyFile> lockfiles) =>
        GradlePrefix(@namespace, platform) + HashFiles(lockfiles)[..32];

    /// <summary>SHA-256 (hex) over the files sorted by path, each as its path and its content with CRLF turned into LF.</summary>
    public static string HashFiles(IEnumerable<CacheKeyFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[8];
        foreach (var file in files.OrderBy(f => NormalizePath(f.RelativePath), StringComparer.Ordinal))
        {
            var path = Encoding.UTF8.GetBytes(NormalizePath(file.RelativePath));
            var content = NormalizeLineEndings(file.Content.Span);
            // Lengths first, so that no two different file sets can produce the same byte stream.
            System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(length, path.Length);
            hash.AppendData(length);
            hash.AppendData(path);
            System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(length, content.Length);
            hash.AppendData(length);
            hash.AppendData(content);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Why <paramref name="key"/> cannot be a cache key, or null when it can.</summary>
    public static string? Problem(string key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return "is empty";
        }

        if (key.Length > MaxLength)
        {
            return $"is {key.Length} characters long; at most {MaxLength} are allowed";
        }

        foreach (var c in key)
        {
            if (!IsAllowed(c))
            {
                return $"contains '{c}'; only letters, digits and . _ - + = @ , are allowed";
            }
        }

        return key[0] == '.' ? "starts with '.'" : null;
    }

    private static bool IsAllowed(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '_' or '-' or '+' or '=' or '@' or ',';

    private static string Sanitize(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            builder.Append(IsAllowed(c) && c != ',' ? c : '_');
        }

        return builder.Length == 0 ? "_" : builder.ToString();
    }

    private static string NormalizePath(string path) => path.Replace('\\', '/').TrimStart('/');

    private static byte[] NormalizeLineEndings(ReadOnlySpan<byte> content)
    {
        var result = new byte[content.Length];
        var written = 0;
        for (var i = 0; i < content.Length; i++)
        {
            if (content[i] == (byte)'\r' && i + 1 < content.Length && content[i + 1] == (byte)'\n')
            {
                continue;
            }

            result[written++] = content[i];
        }

        return result.AsSpan(0, written).ToArray();
    }
}
