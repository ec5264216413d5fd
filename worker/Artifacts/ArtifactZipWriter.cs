using System.IO.Compression;
using System.Text;

namespace BuildFarm.Worker.Artifacts;

/// <summary>Writes the selected files to a zip file on disk, one entry at a time, with unix modes and symlinks.</summary>
internal static class ArtifactZipWriter
{
    // Unix file types in the high bits of st_mode, as Info-ZIP stores them in the external attributes.
    private const int RegularFile = 0x8000;   // S_IFREG, 0100000
    private const int SymlinkAll = 0xA1FF;    // S_IFLNK | 0777, 0120777
    private const UnixFileMode DefaultMode = (UnixFileMode)0x1A4; // 0644, where the OS has no unix mode

    private const int CopyBufferSize = 128 * 1024;

    // DOS time in a zip header starts in 1980; reproducible builds stamp files with 1970 (SOURCE_DATE_EPOCH=0).
    private static readonly DateTimeOffset EarliestZipTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Writes the entries in the order given and returns the zip's length.</summary>
    public static async Task<long> WriteAsync(
        string zipPath, IReadOnlyList<(string Name, ArtifactFile File)> entries, CancellationToken cancellationToken)
    {
        var output = new FileStream(zipPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, CopyBufferSize, FileOptions.Asynchronous);
        await using (output)
        {
            // Create mode writes each entry straight to the file as it goes; nothing of the zip stays in memory.
            var archive = await ZipArchive.CreateAsync(output, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, cancellationToken);
            await using (archive)
            {
                foreach (var (name, file) in entries)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    await WriteEntryAsync(archive, name, file, cancellationToken);
                }
            }

            return output.Length;
        }
    }

    private static async Task WriteEntryAsync(ZipArchive archive, string name, ArtifactFile file, CancellationToken cancellationToken)
    {
        if (file.LinkTarget is { } target)
        {
            // Info-ZIP's convention: the entry's data is the link's target text and its type is S_IFLNK.
            var link = archive.CreateEntry(name, CompressionLevel.NoCompression);
            link.ExternalAttributes = Attributes(SymlinkAll);
            link.LastWriteTime = ZipTime(file.Content.LastWriteTimeUtc);
            var stream = await link.OpenAsync(cancellationToken);
            await using (stream)
            {
                await stream.WriteAsync(Encoding.UTF8.GetBytes(target), cancellationToken);
            }

            return;
        }

        // Fastest, not Optimal: artifacts are often jars and images that don't compress further, and
        // the zip is on the job's critical path.
        var entry = archive.CreateEntry(name, CompressionLevel.Fastest);
        entry.ExternalAttributes = Attributes(RegularFile | (int)ModeOf(file.Content));
        entry.LastWriteTime = ZipTime(file.Content.LastWriteTimeUtc);
        var input = new FileStream(
            file.Content.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, CopyBufferSize,
            FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (input)
        {
            var destination = await entry.OpenAsync(cancellationToken);
            await using (destination)
            {
                await input.CopyToAsync(destination, CopyBufferSize, cancellationToken);
            }
        }
    }

    private static UnixFileMode ModeOf(FileSystemInfo file) =>
        OperatingSystem.IsWindows() ? DefaultMode : file.UnixFileMode;

    private static int Attributes(int unixMode) => unchecked((int)((uint)unixMode << 16));

    private static DateTimeOffset ZipTime(DateTime utc)
    {
        var time = new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc));
        return time < EarliestZipTime ? EarliestZipTime : time;
    }
}
