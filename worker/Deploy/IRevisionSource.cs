namespace BuildFarm.Worker.Deploy;

/// <summary>Where DownloadBundle fetches a revision from.</summary>
public interface IRevisionSource
{
    /// <summary>
    /// A local path to the revision's zip: the file itself when it is already on this host (a path, or the
    /// file-system artifact store), else a copy downloaded into <paramref name="downloadDirectory"/>.
    /// </summary>
    /// <exception cref="FileNotFoundException">No revision has that name.</exception>
    Task<string> FetchAsync(string revision, string downloadDirectory, CancellationToken cancellationToken);
}
