using System.IO.Compression;
using BuildFarm.Storage.Artifacts;

namespace BuildFarm.Worker.Pipelines;

/// <summary>Moves a pipeline's named artifacts between the store and a directory, as zips under ArtifactKey.For(pipeline, run, name).</summary>
public sealed class ArtifactTransfer(IArtifactStore store)
{
    /// <summary>Zips <paramref name="directory"/> (without its .git) and stores it; returns the key.</summary>
    public async Task<(string Key, long Length, int Files)> UploadAsync(string pipeline, Guid runId, string name, string directory, string tempDirectory, CancellationToken cancellationToken)
    {
        var key = ArtifactKey.For(pipeline, runId, name);
        Directory.CreateDirectory(tempDirectory);
        var zipPath = Path.Combine(tempDirectory, $"{name}.zip");
        var files = 0;
        await using (var zipFile = new FileStream(zipPath, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, useAsync: true))
        {
            await using var zip = await ZipArchive.CreateAsync(zipFile, ZipArchiveMode.Create, leaveOpen: false, entryNameEncoding: null, cancellationToken);
            // Sorted, so the same tree gives the same zip; .git is the clone's own bookkeeping, not the source.
            foreach (var file in Directory.EnumerateFiles(directory, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
                .Select(f => Path.GetRelativePath(directory, f).Replace('\\', '/'))
                .Where(f => f != ".git" && !f.StartsWith(".git/", StringComparison.Ordinal) && !f.Contains("/.git/", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal))
            {
                cancellationToken.ThrowIfCancellationRequested();
                // CreateEntryFromFile keeps the Unix mode, so scripts stay executable for the build and the deploy hooks.
                await zip.CreateEntryFromFileAsync(Path.Combine(directory, file), file, CompressionLevel.Fastest, cancellationToken);
                files++;
            }
        }
        await using var content = File.OpenRead(zipPath);
        await store.PutAsync(key, content, content.Length, cancellationToken);
        return (key, content.Length, files);
    }

    /// <summary>Fetches the artifact <paramref name="name"/> of this run and unzips it into <paramref name="directory"/>.</summary>
    /// <exception cref="FileNotFoundException">The run has no such artifact (its producer stored none).</exception>
    public async Task<string> DownloadAsync(string pipeline, Guid runId, string name, string directory, string tempDirectory, CancellationToken cancellationToken)
    {
        var key = ArtifactKey.For(pipeline, runId, name);
        Directory.CreateDirectory(tempDirectory);
        var zipPath = Path.Combine(tempDirectory, $"in-{name}.zip");
        await using (var source = await store.OpenReadAsync(key, cancellationToken))
        await using (var target = new FileStream(zipPath, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true))
        {
            await source.CopyToAsync(target, cancellationToken);
        }
        Directory.CreateDirectory(directory);
        await ZipFile.ExtractToDirectoryAsync(zipPath, directory, overwriteFiles: true, cancellationToken);
        File.Delete(zipPath);
        return key;
    }
}
