namespace BuildFarm.Storage.Artifacts;

/// <summary>An artifact as the store holds it.</summary>
/// <param name="Key">'/'-separated, relative to the store's root or prefix, e.g. <c>web/{runId}/primary.zip</c>.</param>
/// <param name="Length">Bytes.</param>
/// <param name="Sha256">Lowercase hex SHA-256 of the content, computed while it was written.</param>
public sealed record StoredArtifact(string Key, long Length, string Sha256);
