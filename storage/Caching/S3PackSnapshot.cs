namespace BuildFarm.Storage.Caching;

/// <summary>
/// The packs one listing found: where each packed blob lies, the packs themselves (for the sweep),
/// and the objects under <c>packs/</c> that are not part of a complete pack (a save that died
/// between pack and index, a sweep that died between index and pack).
/// </summary>
internal sealed class S3PackSnapshot(
    IReadOnlyDictionary<string, S3PackedBlob> located, IReadOnlyList<S3ListedPack> packs, IReadOnlyList<(string ObjectKey, DateTimeOffset WrittenAt)> orphans)
{
    public IReadOnlyList<S3ListedPack> Packs { get; } = packs;

    public IReadOnlyList<(string ObjectKey, DateTimeOffset WrittenAt)> Orphans { get; } = orphans;

    public bool TryLocate(string hash, out S3PackedBlob location) => located.TryGetValue(hash, out location);

    public bool Contains(string hash) => located.ContainsKey(hash);
}
