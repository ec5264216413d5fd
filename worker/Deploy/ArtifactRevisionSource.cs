using BuildFarm.Worker.Artifacts;

namespace BuildFarm.Worker.Deploy;

/// <summary>A revision is a build artifact in the farm's artifact store, or an absolute path to a zip on this host.</summary>
public sealed class ArtifactRevisionSource(IArtifactStore store) : IRevisionSource
{
    public async Task DownloadAsync(string revision, string targetFile, CancellationToken cancellationToken)
    {
        var source = revision.StartsWith('/')
            ? new FileStream(revision, FileMode.Open, FileAccess.Read, FileShare.Read, 128 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan)
            : await store.OpenReadAsync(revision, cancellationToken);
        await using (source)
        {
            var target = new FileStream(targetFile, FileMode.Create, FileAccess.Write, FileShare.None, 128 * 1024, FileOptions.Asynchronous);
            await using (target)
            {
                await source.CopyToAsync(target, cancellationToken);
            }
        }
    }
}
