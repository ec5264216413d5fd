namespace BuildFarm.Worker.Caching;

/// <summary>The files under a cache root that belong in an entry: regular files only (symbolic links are skipped), Gradle's rules inside the Gradle home.</summary>
internal static class CacheTreeWalker
{
    private static readonly EnumerationOptions Options = new()
    {
        RecurseSubdirectories = true,
        // Links could point anywhere on the worker (or loop); an entry holds plain files.
        AttributesToSkip = FileAttributes.ReparsePoint,
        IgnoreInaccessible = true,
        ReturnSpecialDirectories = false,
    };

    /// <summary>Each file with its path relative to the root ('/' separated), sorted by path.</summary>
    public static List<(string RelativePath, FileInfo Info)> Walk(CacheRoot root)
    {
        var found = new List<(string, FileInfo)>();
        var directory = new DirectoryInfo(root.Directory);
        if (!directory.Exists)
        {
            return found;
        }

        foreach (var file in directory.EnumerateFiles("*", Options))
        {
            var relative = Path.GetRelativePath(directory.FullName, file.FullName).Replace('\\', '/');
            if (root.GradleHomePath is { } gradle && !GradleCache.Includes(gradle + relative))
            {
                continue;
            }

            found.Add((relative, file));
        }

        found.Sort((a, b) => string.CompareOrdinal(a.Item1, b.Item1));
        return found;
    }
}
