namespace BuildFarm.Worker.Deploy;

/// <summary>Where DownloadBundle fetches a revision from.</summary>
public interface IRevisionSource
{
    /// <summary>Copies the revision's zip to <paramref name="targetFile"/>.</summary>
    /// <exception cref="FileNotFoundException">No revision has that name.</exception>
    Task DownloadAsync(string revision, string targetFile, CancellationToken cancellationToken);
}
