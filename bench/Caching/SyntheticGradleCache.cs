namespace BuildFarm.Bench.Caching;

/// <summary>
/// A Gradle home shaped like a real one: thousands of small jars (random bytes, as compressed as
/// real jars), their poms (text), a few large jars, and one 5 MB jar the bump replaces.
/// </summary>
internal static class SyntheticGradleCache
{
    public const int BumpedJarBytes = 5 * 1024 * 1024;
    private const string Files = "caches/modules-2/files-2.1";

    /// <returns>The bytes written.</returns>
    public static long Write(string gradleHome, long totalBytes)
    {
        long written = 0;
        // A quarter in four large jars, the rest in small ones of 4 KB to 400 KB.
        var large = totalBytes / 16;
        for (var i = 0; i < 4; i++)
        {
            written += WriteFile(Path.Combine(gradleHome, Files, $"com.big/big{i}/1.0/{i:x40}/big{i}-1.0.jar"), large, 1000 + i);
        }

        written += WriteBumpOne(gradleHome);
        var sizes = new Random(42);
        for (var i = 0; written < totalBytes; i++)
        {
            var group = $"org.lib{i / 20}";
            var directory = Path.Combine(gradleHome, Files, group, $"lib{i}", "1.0");
            written += WriteFile(Path.Combine(directory, $"{i:x40}", $"lib{i}-1.0.jar"), sizes.Next(4_000, 400_000), i);
            var pom = $"<project><groupId>{group}</groupId><artifactId>lib{i}</artifactId><version>1.0</version>{new string(' ', 1500)}</project>\n";
            File.WriteAllText(Path.Combine(EnsureDirectory(Path.Combine(directory, $"{i + 1:x40}")), $"lib{i}-1.0.pom"), pom);
            written += pom.Length;
        }

        return written;
    }

    /// <summary>The version bump: bump 1.0 goes, bump 2.0 (5 MB of new bytes) comes.</summary>
    public static void Bump(string gradleHome)
    {
        Directory.Delete(Path.Combine(gradleHome, Files, "org.bump/bump/1.0"), recursive: true);
        WriteFile(Path.Combine(gradleHome, Files, "org.bump/bump/2.0/" + new string('c', 40) + "/bump-2.0.jar"), BumpedJarBytes, 7);
    }

    /// <summary>Back to the tree <see cref="Write"/> made, for the next backend.</summary>
    public static void Unbump(string gradleHome)
    {
        Directory.Delete(Path.Combine(gradleHome, Files, "org.bump/bump/2.0"), recursive: true);
        WriteBumpOne(gradleHome);
    }

    private static long WriteBumpOne(string gradleHome) =>
        WriteFile(Path.Combine(gradleHome, Files, "org.bump/bump/1.0/" + new string('b', 40) + "/bump-1.0.jar"), BumpedJarBytes, 5);

    private static long WriteFile(string path, long length, int seed)
    {
        var random = new Random(seed);
        EnsureDirectory(Path.GetDirectoryName(path)!);
        var buffer = new byte[1024 * 1024];
        using var stream = File.Create(path);
        for (var left = length; left > 0; left -= buffer.Length)
        {
            random.NextBytes(buffer);
            stream.Write(buffer, 0, (int)Math.Min(buffer.Length, left));
        }

        return length;
    }

    private static string EnsureDirectory(string path)
    {
        Directory.CreateDirectory(path);
        return path;
    }
}
