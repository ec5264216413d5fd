using BuildFarm.Storage.Artifacts;

namespace BuildFarm.Worker.Deploy;

/// <summary>A revision is a build artifact in the farm's artifact store, or an absolute path to a zip on this host.</summary>
public sealed class ArtifactRevisionSource(IArtifactStore? store) : IRevisionSource
{
    public async Task<string> FetchAsync(string revision, string downloadDirectory, CancellationToken cancellationToken)
    {
        // Read in place when the zip is already on this disk: copying 50 MB only to extract it doubles DownloadBundle.
        if (revision.StartsWith('/'))
        {
            return File.Exists(revision) ? revision : throw new FileNotFoundException($"No revision at {revision}.", revision);
        }
        if (store is null)
        {
            throw new FileNotFoundException($"No artifact store is configured to find the revision '{revision}'.", revision);
        }
        if (store is FileSystemArtifactStore files)
        {
            ArtifactKey.Validate(revision);
            var path = Path.Combine(files.Root, revision);
            return File.Exists(path) ? path : throw new FileNotFoundException($"No artifact has the key '{revision}'.", revision);
        }

        var target = Path.Combine(downloadDirectory, "bundle.zip");
        var source = await store.OpenReadAsync(revision, cancellationToken);
        await using (source)
        {
            var file = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None, 128 * 1024, FileOptions.Asynchronous);
            await using (file)
            {
                await source.CopyToAsync(file, cancellationToken);
            }
        }
        return target;
    }
}
