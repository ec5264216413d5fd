namespace BuildFarm.Worker.Caching;

/// <summary>
/// One directory a cache entry holds, under the name the buildspec gave it (<c>~/.gradle</c>,
/// <c>node_modules</c>) so that each job maps it to its own HOME and source directory.
/// </summary>
/// <param name="Name">The logical name stored in the manifest.</param>
/// <param name="Directory">Where it is in this job.</param>
/// <param name="GradleHomePath">
/// Where the root sits inside the Gradle user home ("" for the home itself, "caches/" for
/// ~/.gradle/caches), or null for a root that is not part of it; Gradle's rules apply only there.
/// </param>
public sealed record CacheRoot(string Name, string Directory, string? GradleHomePath = null);
