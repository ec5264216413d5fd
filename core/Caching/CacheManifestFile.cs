namespace BuildFarm.Core.Caching;

/// <summary>
/// One file of a cache entry. Its content is the concatenation of <see cref="Chunks"/>, each a
/// blob named by the SHA-256 of its raw bytes; <see cref="ContentId"/> names the whole file in a
/// worker's local blob cache (the SHA-256 of the content for a one-chunk file).
/// </summary>
/// <param name="Root">Index into <see cref="CacheManifest.Roots"/>.</param>
/// <param name="Path">Relative to its root, '/' separated, never with '..'.</param>
/// <param name="Size">Bytes, uncompressed.</param>
/// <param name="Mode">Unix permission bits.</param>
/// <param name="ContentId">See <see cref="CacheManifest.ContentIdOf"/>.</param>
/// <param name="Chunks">SHA-256 of each chunk's raw bytes, in order; none for an empty file.</param>
public sealed record CacheManifestFile(int Root, string Path, long Size, int Mode, string ContentId, IReadOnlyList<string> Chunks);
