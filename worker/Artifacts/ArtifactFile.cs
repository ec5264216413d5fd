namespace BuildFarm.Worker.Artifacts;

/// <summary>A file the walker found: where it is, its path below the base directory, and how to store it.</summary>
/// <param name="RelativePath">'/'-separated, relative to the base directory; the zip entry name unless paths are discarded.</param>
/// <param name="Content">What to read: the file itself, or a followed symlink's final target.</param>
/// <param name="LinkTarget">Set when the entry is stored as a symlink (enable-symlinks): the link's own target text.</param>
internal sealed record ArtifactFile(string RelativePath, FileSystemInfo Content, string? LinkTarget);
