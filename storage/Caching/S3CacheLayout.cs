namespace BuildFarm.Storage.Caching;

/// <summary>
/// Where the S3 cache store keeps what, under one prefix: <c>blobs/ab/HASH</c> (a blob on its own),
/// <c>packs/ID</c> with <c>packs/ID.idx</c> (a random 64-hex id) (small blobs back to back, and where each lies),
/// <c>manifests/KEY/MANIFESTHASH</c> and <c>entries/KEY.json</c>.
/// </summary>
internal sealed class S3CacheLayout(string prefix)
{
    public const string IndexSuffix = ".idx";

    public string Prefix { get; } = prefix.Length == 0 || prefix.EndsWith('/') ? prefix : prefix + "/";

    public string BlobsPrefix => Prefix + "blobs/";

    public string PacksPrefix => Prefix + "packs/";

    public string EntriesPrefix => Prefix + "entries/";

    public string BlobKey(string hash) => $"{BlobsPrefix}{hash[..2]}/{hash}";

    public string PackKey(string pack) => PacksPrefix + pack;

    public string PackIndexKey(string pack) => PacksPrefix + pack + IndexSuffix;

    public string ManifestPrefix(string key) => $"{Prefix}manifests/{key}/";

    public string EntryKey(string key) => $"{EntriesPrefix}{key}.json";

    /// <summary>The hash a blob object is named by, or null for another object.</summary>
    public static string? HashOf(string objectKey)
    {
        var name = objectKey[(objectKey.LastIndexOf('/') + 1)..];
        return Core.Caching.CacheManifest.IsHash(name) ? name : null;
    }
}
