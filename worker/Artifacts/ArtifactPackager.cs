using BuildFarm.Core.Definitions;

namespace BuildFarm.Worker.Artifacts;

/// <summary>
/// Zips one artifact the way CodeBuild lays it out: <c>files</c> globs relative to
/// <c>base-directory</c>, minus <c>exclude-paths</c>; entries named by their path below the base
/// directory (or by file name alone with <c>discard-paths</c>), '/'-separated, with unix modes;
/// symlinks followed, or kept as links with <c>enable-symlinks</c>.
/// </summary>
/// <remarks>
/// A pattern naming a directory without wildcards takes the directory whole, and a wildcard
/// pattern selects files only (<c>dir/*</c> does not descend; <c>dir/**/*</c> does), as CodeBuild's
/// documentation describes. Nothing found is a result, not an exception, because CodeBuild
/// reports it as the build's failure reason.
/// </remarks>
public sealed class ArtifactPackager
{
    /// <summary>CodeBuild's words when no file matches, kept so that users can search for them.</summary>
    public const string NoMatchingPaths = "no matching artifact paths found";

    /// <param name="sourceDirectory">The job's source root, where the phases ran.</param>
    /// <param name="artifacts">One artifact: the primary section or one secondary artifact (its own secondaries are ignored).</param>
    /// <param name="tempDirectory">Where the zip is written; the job's workspace keeps it on the same disk as the build.</param>
    /// <param name="cancellationToken">Stops the walk and the zip; the partial zip is deleted.</param>
    public async Task<ArtifactPackage> PackageAsync(
        string sourceDirectory, BuildSpecArtifacts artifacts, string tempDirectory, CancellationToken cancellationToken)
    {
        if (!TryParseAll(artifacts.Files, out var includes, out var error) || !TryParseAll(artifacts.ExcludePaths, out var excludes, out error))
        {
            return ArtifactPackage.Failed(error, []);
        }

        if (ResolveBaseDirectory(sourceDirectory, artifacts.BaseDirectory, out error) is not { } baseDirectory)
        {
            return ArtifactPackage.Failed(error, []);
        }

        if (!baseDirectory.Exists)
        {
            return ArtifactPackage.Failed(NoMatchingPaths, [$"base-directory '{artifacts.BaseDirectory}' does not exist"]);
        }

        var walker = new ArtifactTreeWalker(includes, excludes, artifacts.EnableSymlinks);
        List<ArtifactFile> files;
        try
        {
            files = walker.Walk(baseDirectory, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ArtifactPackage.Failed($"cannot read the artifact files: {ex.Message}", walker.Warnings);
        }

        if (files.Count == 0)
        {
            return ArtifactPackage.Failed(NoMatchingPaths, walker.Warnings);
        }

        if (!TryName(files, artifacts.DiscardPaths, out var entries, out error))
        {
            return ArtifactPackage.Failed(error, walker.Warnings);
        }

        Directory.CreateDirectory(tempDirectory);
        var zipPath = Path.Combine(tempDirectory, $"artifact-{Guid.NewGuid():N}.zip");
        try
        {
            var length = await ArtifactZipWriter.WriteAsync(zipPath, entries, cancellationToken);
            return ArtifactPackage.Created(zipPath, length, [.. entries.Select(e => e.Name)], walker.Warnings);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            // A half-written zip is useless and may be large; the reason (or the cancellation) still goes up.
            File.Delete(zipPath);
            if (ex is OperationCanceledException)
            {
                throw;
            }

            return ArtifactPackage.Failed($"cannot write the artifact zip: {ex.Message}", walker.Warnings);
        }
    }

    private static bool TryParseAll(IReadOnlyList<string> raw, out List<GlobPattern> patterns, out string error)
    {
        patterns = [];
        error = "";
        foreach (var text in raw)
        {
            if (!GlobPattern.TryParse(text, out var pattern, out error))
            {
                return false;
            }

            patterns.Add(pattern);
        }

        return true;
    }

    private static DirectoryInfo? ResolveBaseDirectory(string sourceDirectory, string? baseDirectory, out string error)
    {
        error = "";
        var source = Path.TrimEndingDirectorySeparator(Path.GetFullPath(sourceDirectory));
        var relative = GlobPattern.Normalize(baseDirectory ?? "");
        if (relative.StartsWith('/') || relative.Split('/').Contains(".."))
        {
            error = $"base-directory '{baseDirectory}' must be a directory inside the source directory";
            return null;
        }

        return new DirectoryInfo(relative.Length == 0 ? source : Path.Combine(source, relative));
    }

    private static bool TryName(
        List<ArtifactFile> files, bool discardPaths, out List<(string Name, ArtifactFile File)> entries, out string error)
    {
        error = "";
        entries = [.. files.Select(f => (Name: discardPaths ? Path.GetFileName(f.RelativePath) : f.RelativePath, File: f))];
        entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        for (var i = 1; i < entries.Count; i++)
        {
            if (string.Equals(entries[i - 1].Name, entries[i].Name, StringComparison.Ordinal))
            {
                // Only discard-paths can collide: the walk yields each relative path once.
                error = $"discard-paths: '{entries[i - 1].File.RelativePath}' and '{entries[i].File.RelativePath}' " +
                    $"would both be stored as '{entries[i].Name}'";
                return false;
            }
        }

        return true;
    }
}
