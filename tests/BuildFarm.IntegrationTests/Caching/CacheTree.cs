using System.Security.Cryptography;

namespace BuildFarm.IntegrationTests.Caching;

/// <summary>Writes and reads directory trees for cache tests: relative path → bytes.</summary>
internal static class CacheTree
{
    public static byte[] RandomBytes(int length, int seed)
    {
        // Seeded so a "jar" means the same bytes wherever a test names it; random so zstd cannot shrink it away.
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static void Write(string root, IReadOnlyDictionary<string, byte[]> files)
    {
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, content);
        }
    }

    public static Dictionary<string, string> Read(string root) =>
        Directory.Exists(root)
            ? Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                .ToDictionary(f => Path.GetRelativePath(root, f).Replace('\\', '/'), f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f))))
            : [];

    public static Dictionary<string, string> Hashes(IReadOnlyDictionary<string, byte[]> files) =>
        files.ToDictionary(f => f.Key, f => Convert.ToHexStringLower(SHA256.HashData(f.Value)));

    /// <summary>The files with one replaced by another, as a dependency bump leaves a Gradle home.</summary>
    public static Dictionary<string, byte[]> Replace(IReadOnlyDictionary<string, byte[]> files, string removed, string added, byte[] content)
    {
        var bumped = files.Where(f => f.Key != removed).ToDictionary(f => f.Key, f => f.Value);
        bumped[added] = content;
        return bumped;
    }
}
