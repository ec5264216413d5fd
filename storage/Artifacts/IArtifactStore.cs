namespace BuildFarm.Storage.Artifacts;

/// <summary>
/// Where finished artifacts go: a key-value store of streams. Keys follow <see cref="ArtifactKey"/>:
/// '/'-separated, no empty or dot-leading segment, not ending in <c>.sha256</c> (the store keeps each
/// checksum beside its artifact under that suffix, in <c>sha256sum</c> format).
/// </summary>
public interface IArtifactStore
{
    /// <summary>Stores <paramref name="length"/> bytes read from <paramref name="content"/> under <paramref name="key"/>, replacing what was there.</summary>
    /// <exception cref="ArgumentException">The key is not a valid artifact key.</exception>
    /// <exception cref="InvalidDataException">The stream held more or fewer bytes than <paramref name="length"/>; nothing is stored.</exception>
    Task<StoredArtifact> PutAsync(string key, Stream content, long length, CancellationToken cancellationToken);

    /// <summary>Opens a stored artifact; the caller disposes the stream.</summary>
    /// <exception cref="FileNotFoundException">No artifact has this key.</exception>
    Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken);

    /// <summary>Opens a stored artifact from byte <paramref name="offset"/> on (its length: an empty stream); for ranged downloads.</summary>
    /// <exception cref="FileNotFoundException">No artifact has this key.</exception>
    Task<Stream> OpenReadAsync(string key, long offset, CancellationToken cancellationToken);

    /// <summary>Every artifact whose key starts with <paramref name="prefix"/> (a plain string prefix), ordered by key.</summary>
    Task<IReadOnlyList<StoredArtifact>> ListAsync(string prefix, CancellationToken cancellationToken);
}
