namespace BuildFarm.Worker.Artifacts;

/// <summary>
/// What <see cref="ArtifactPackager"/> made: a zip in a temporary file, or the reason there is none.
/// Disposing it deletes the file.
/// </summary>
public sealed class ArtifactPackage : IDisposable
{
    private ArtifactPackage(string? zipPath, long length, IReadOnlyList<string> entries, string? error, IReadOnlyList<string> warnings)
    {
        ZipPath = zipPath;
        Length = length;
        Entries = entries;
        Error = error;
        Warnings = warnings;
    }

    /// <summary>Null when packaging succeeded; else the reason, as CodeBuild words it where it has words for it.</summary>
    public string? Error { get; }

    public bool Succeeded => Error is null;

    /// <summary>The zip on disk, or null when packaging failed.</summary>
    public string? ZipPath { get; }

    /// <summary>The zip's length in bytes.</summary>
    public long Length { get; }

    /// <summary>The zip's entry names in the order written.</summary>
    public IReadOnlyList<string> Entries { get; }

    /// <summary>Files skipped while walking (dangling symlinks, cycles), for the job's log; never silent.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Opens the zip for reading; each call gets its own stream.</summary>
    public FileStream OpenRead() => ZipPath is null
        ? throw new InvalidOperationException($"There is no zip: {Error}")
        : new FileStream(ZipPath, FileMode.Open, FileAccess.Read, FileShare.Read, 128 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);

    public void Dispose()
    {
        if (ZipPath is null)
        {
            return;
        }

        try
        {
            File.Delete(ZipPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A temp file left behind must not fail the job that already has its result.
        }
    }

    internal static ArtifactPackage Created(string zipPath, long length, IReadOnlyList<string> entries, IReadOnlyList<string> warnings) =>
        new(zipPath, length, entries, null, warnings);

    internal static ArtifactPackage Failed(string error, IReadOnlyList<string> warnings) =>
        new(null, 0, [], error, warnings);
}
