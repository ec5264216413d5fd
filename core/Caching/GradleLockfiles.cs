namespace BuildFarm.Core.Caching;

/// <summary>
/// The files whose content decides a Gradle project's dependencies, in the root and in every
/// module: lockfiles, the version catalog, the wrapper's version, settings and build scripts.
/// </summary>
public static class GradleLockfiles
{
    // A checkout's own caches and outputs can hold copies of build scripts that must not count.
    private static readonly HashSet<string> SkippedDirectories = new(StringComparer.Ordinal) { ".git", ".gradle", "build", "node_modules", ".idea" };

    private const int MaxDepth = 12;
    private const int MaxFiles = 10_000;

    /// <summary>Whether a path relative to the project root ('/' separated) names a file that goes into the key.</summary>
    public static bool IsLockfile(string relativePath)
    {
        var path = relativePath.Replace('\\', '/');
        var name = path[(path.LastIndexOf('/') + 1)..];
        if (name is "gradle.lockfile" or "settings.gradle" or "settings.gradle.kts" or "build.gradle" or "build.gradle.kts"
            || name.EndsWith(".lockfile", StringComparison.Ordinal))
        {
            return true;
        }

        return path.EndsWith("gradle/libs.versions.toml", StringComparison.Ordinal)
            || path.EndsWith("gradle/wrapper/gradle-wrapper.properties", StringComparison.Ordinal);
    }

    /// <summary>Whether the directory holds a Gradle build (a settings or build script at its root).</summary>
    public static bool IsGradleProject(string root) =>
        new[] { "settings.gradle", "settings.gradle.kts", "build.gradle", "build.gradle.kts" }.Any(n => File.Exists(Path.Combine(root, n)));

    /// <summary>The project's key files with their content, found under <paramref name="root"/> (bounded depth and count).</summary>
    public static IReadOnlyList<CacheKeyFile> Find(string root)
    {
        var found = new List<CacheKeyFile>();
        Walk(root, "", 0, found);
        return found;
    }

    private static void Walk(string directory, string relative, int depth, List<CacheKeyFile> found)
    {
        if (depth > MaxDepth || found.Count >= MaxFiles || !Directory.Exists(directory))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(directory))
        {
            var path = relative + Path.GetFileName(file);
            if (IsLockfile(path) && found.Count < MaxFiles)
            {
                found.Add(new CacheKeyFile(path, File.ReadAllBytes(file)));
            }
        }

        foreach (var child in Directory.EnumerateDirectories(directory))
        {
            var name = Path.GetFileName(child);
            // Symlinked directories could loop; a project's modules are real directories.
            if (!SkippedDirectories.Contains(name) && !new DirectoryInfo(child).Attributes.HasFlag(FileAttributes.ReparsePoint))
            {
                Walk(child, relative + name + "/", depth + 1, found);
            }
        }
    }
}
