using System.Text.RegularExpressions;

namespace BuildFarm.Worker.Caching;

/// <summary>
/// What of the Gradle user home belongs in a cache: downloaded dependencies
/// (<c>caches/modules-2</c>), generated jars (<c>caches/jars-*</c>) and wrapper distributions
/// (<c>wrapper/dists</c>); never lock files, journals or daemon logs, which differ between equal
/// caches. Paths are relative to the Gradle user home, '/' separated.
/// </summary>
public static partial class GradleCache
{
    /// <summary>Whether the file belongs in a cache entry.</summary>
    public static bool Includes(string gradleHomePath)
    {
        if (!(gradleHomePath.StartsWith("caches/modules-2/", StringComparison.Ordinal)
              || JarsDirectory().IsMatch(gradleHomePath)
              || gradleHomePath.StartsWith("wrapper/dists/", StringComparison.Ordinal)))
        {
            return false;
        }

        var name = gradleHomePath[(gradleHomePath.LastIndexOf('/') + 1)..];
        if (name.EndsWith(".lock", StringComparison.Ordinal) || name.EndsWith(".lck", StringComparison.Ordinal) || name == "gc.properties")
        {
            return false;
        }

        return !gradleHomePath.Split('/').Any(segment => segment.StartsWith("journal-", StringComparison.Ordinal) || segment == ".tmp");
    }

    /// <summary>
    /// Whether an unread restored file may be left out of the next entry: dependency artifacts and
    /// generated jars, which an older dependency version leaves behind. Module descriptors, wrapper
    /// distributions and Gradle's metadata stores are kept whole, since a build reads only part of them.
    /// </summary>
    public static bool MayDropWhenUnread(string gradleHomePath) =>
        (gradleHomePath.StartsWith("caches/modules-2/files-2.1/", StringComparison.Ordinal) && !IsModuleDescriptor(gradleHomePath))
        || JarsDirectory().IsMatch(gradleHomePath);

    // Gradle may answer from its binary metadata store without reading the descriptor again, yet
    // still expect the file; descriptors are small, so they always stay.
    private static bool IsModuleDescriptor(string path) =>
        path.EndsWith(".pom", StringComparison.Ordinal) || path.EndsWith(".module", StringComparison.Ordinal) || path.EndsWith(".xml", StringComparison.Ordinal);

    [GeneratedRegex("^caches/jars-[0-9]+/")]
    private static partial Regex JarsDirectory();
}
