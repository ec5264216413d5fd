using BuildFarm.Core.Caching;

namespace BuildFarm.Storage.Caching;

/// <summary>
/// The store in a directory (the embedded farm, or a mount shared by workers): <c>blobs/ab/HASH</c>,
/// <c>manifests/KEY</c> and <c>entries/KEY.json</c>. Every file is written under a temporary name
/// and renamed into place, so a reader sees a whole file or none; a manifest is moved without
/// overwriting, which makes publishing a key a single atomic step that only one save can win.
/// </summary>
public sealed class FileSystemCacheStore : ICacheStore
{
    private readonly string _blobs;
    private readonly string _manifests;
    private readonly string _entries;

    public FileSystemCacheStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _blobs = Path.Combine(root, "blobs");
        _manifests = Path.Combine(root, "manifests");
        _entries = Path.Combine(root, "entries");
        Directory.CreateDirectory(_blobs);
        Directory.CreateDirectory(_manifests);
        Directory.CreateDirectory(_entries);
    }

    public string Name => "FileSystem";

    public Task<bool> HasBlobAsync(string hash, CancellationToken cancellationToken) => Task.FromResult(File.Exists(BlobPath(hash)));

    public async Task PutBlobAsync(string hash, ReadOnlyMemory<byte> compressed, CancellationToken cancellationToken)
    {
        var path = BlobPath(hash);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await WriteAtomicallyAsync(path, compressed, overwrite: true, cancellationToken);
    }

    public async Task<byte[]?> GetBlobAsync(string hash, CancellationToken cancellationToken) => await ReadIfExistsAsync(BlobPath(hash), cancellationToken);

    public async Task<bool> TryPublishAsync(CacheEntryInfo entry, ReadOnlyMemory<byte> manifest, CancellationToken cancellationToken)
    {
        // The manifest's atomic create decides which save wins; only the winner writes the record,
        // so the two always agree (listing copes with the moment between them).
        if (!await WriteAtomicallyAsync(ManifestPath(entry.Key), manifest, overwrite: false, cancellationToken))
        {
            return false;
        }

        await WriteAtomicallyAsync(EntryPath(entry.Key), CacheEntryInfoJson.Serialize(entry), overwrite: true, cancellationToken);
        return true;
    }

    public Task<bool> HasEntryAsync(string key, CancellationToken cancellationToken) => Task.FromResult(File.Exists(ManifestPath(key)));

    public async Task<byte[]?> GetManifestAsync(string key, CancellationToken cancellationToken) => await ReadIfExistsAsync(ManifestPath(key), cancellationToken);

    public async Task<IReadOnlyList<CacheEntryInfo>> ListEntriesAsync(string prefix, CancellationToken cancellationToken)
    {
        var found = new List<CacheEntryInfo>();
        foreach (var manifest in Directory.EnumerateFiles(_manifests, prefix + "*"))
        {
            var key = Path.GetFileName(manifest);
            if (key.StartsWith('.'))
            {
                continue;
            }

            var info = await ReadIfExistsAsync(EntryPath(key), cancellationToken) is { } json ? CacheEntryInfoJson.TryDeserialize(json) : null;
            // A manifest whose record is still being written (or was lost) is listed with what the file system knows.
            found.Add(info ?? new CacheEntryInfo(key, File.GetLastWriteTimeUtc(manifest), 0, 0, 0, null));
        }

        return found;
    }

    public async Task RecordRestoreAsync(string key, DateTimeOffset at, IReadOnlyCollection<string> blobs, CancellationToken cancellationToken)
    {
        if (await ReadIfExistsAsync(EntryPath(key), cancellationToken) is { } json && CacheEntryInfoJson.TryDeserialize(json) is { } info)
        {
            // Read-modify-write without a lock: two restores at once may count one hit; the
            // statistics are advisory and eviction only needs the time.
            await WriteAtomicallyAsync(EntryPath(key), CacheEntryInfoJson.Serialize(info with { Hits = info.Hits + 1, LastRestoredAt = at }), overwrite: true, cancellationToken);
        }
    }

    public Task DeleteEntryAsync(string key, CancellationToken cancellationToken)
    {
        File.Delete(ManifestPath(key));
        File.Delete(EntryPath(key));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<StoredBlob>> ListBlobsAsync(CancellationToken cancellationToken)
    {
        var blobs = new List<StoredBlob>();
        foreach (var file in Directory.EnumerateFiles(_blobs, "*", SearchOption.AllDirectories))
        {
            var name = Path.GetFileName(file);
            if (CacheManifest.IsHash(name))
            {
                blobs.Add(new StoredBlob(name, File.GetLastWriteTimeUtc(file)));
            }
        }

        return Task.FromResult<IReadOnlyList<StoredBlob>>(blobs);
    }

    public Task DeleteBlobAsync(string hash, CancellationToken cancellationToken)
    {
        File.Delete(BlobPath(hash));
        return Task.CompletedTask;
    }

    private string BlobPath(string hash) => Path.Combine(_blobs, hash[..2], hash);

    private string ManifestPath(string key) => Path.Combine(_manifests, CheckedKey(key));

    private string EntryPath(string key) => Path.Combine(_entries, CheckedKey(key) + ".json");

    private static string CheckedKey(string key) =>
        CacheKey.Problem(key) is { } problem ? throw new ArgumentException($"Cache key '{key}' {problem}.", nameof(key)) : key;

    private static async Task<byte[]?> ReadIfExistsAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <returns>False when <paramref name="overwrite"/> is false and the path already exists.</returns>
    private static async Task<bool> WriteAtomicallyAsync(string path, ReadOnlyMemory<byte> content, bool overwrite, CancellationToken cancellationToken)
    {
        var temporary = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(content, cancellationToken);
            }

            // Without overwrite .NET links the new name on Unix, which fails if it exists: atomic "create if absent".
            File.Move(temporary, path, overwrite);
            return true;
        }
        catch (IOException) when (!overwrite && File.Exists(path))
        {
            return false;
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
