using System.Collections.Concurrent;
using BuildFarm.Worker.Files;

namespace BuildFarm.Worker.Caching;

/// <summary>
/// The worker's own copy of restored files, whole and uncompressed, named by content id
/// (<c>files/ab/ID</c>). A restore downloads only what is not here, then links or copies from here.
/// Files arrive under a temporary name and are renamed into place after their chunks were verified,
/// so a file here is always complete.
/// </summary>
public sealed class LocalBlobCache
{
    private readonly string _files;
    private readonly string _incoming;

    // The 256 fan-out directories, once made: a restore commits thousands of files into them.
    private readonly ConcurrentDictionary<string, byte> _directories = new(StringComparer.Ordinal);

    public LocalBlobCache(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
        _files = Path.Combine(Root, "files");
        _incoming = Path.Combine(Root, "incoming");
        Directory.CreateDirectory(_files);
        Directory.CreateDirectory(_incoming);
    }

    public string Root { get; }

    public string PathOf(string contentId) => Path.Combine(_files, contentId[..2], contentId);

    /// <summary>Whether a complete copy is here. The size check catches a copy a build changed through a hard link.</summary>
    public bool Has(string contentId, long size)
    {
        var info = new FileInfo(PathOf(contentId));
        return info.Exists && info.Length == size;
    }

    /// <summary>A fresh temporary path on the same file system as the cache, for one download.</summary>
    public string NewIncomingPath() => Path.Combine(_incoming, Guid.NewGuid().ToString("N"));

    /// <summary>Moves a verified download into place; a concurrent download of the same content simply wins or loses the rename.</summary>
    public string Commit(string incoming, string contentId)
    {
        var path = DirectoryReadyPathOf(contentId);
        File.Move(incoming, path, overwrite: true);
        return path;
    }

    /// <summary>
    /// Adds a verified file a restore wrote elsewhere on this file system (its staging tree) as a
    /// hard link, so its bytes are written once and no temporary name is made and renamed. False
    /// where no link can be made (another file system); the caller then commits a copy.
    /// </summary>
    public bool TryAdopt(string path, string contentId)
    {
        var destination = DirectoryReadyPathOf(contentId);
        if (FileLinks.TryLink(path, destination))
        {
            return true;
        }

        if (!File.Exists(destination))
        {
            return false;
        }

        // A copy the restore found wanting (a build changed it through a link) or one a parallel
        // restore just made: replaced in one rename, as a commit would, so it is never partial.
        var incoming = NewIncomingPath();
        if (!FileLinks.TryLink(path, incoming))
        {
            return false;
        }

        File.Move(incoming, destination, overwrite: true);
        return true;
    }

    private string DirectoryReadyPathOf(string contentId)
    {
        var path = PathOf(contentId);
        var directory = Path.GetDirectoryName(path)!;
        if (!_directories.ContainsKey(directory))
        {
            Directory.CreateDirectory(directory);
            _directories.TryAdd(directory, 0);
        }

        return path;
    }

    /// <summary>Deletes the least recently used files (by access time) until the cache holds at most <paramref name="budgetBytes"/>.</summary>
    public long Trim(long budgetBytes)
    {
        var files = new DirectoryInfo(_files).EnumerateFiles("*", SearchOption.AllDirectories).ToList();
        var total = files.Sum(f => f.Length);
        long freed = 0;
        foreach (var file in files.OrderBy(f => f.LastAccessTimeUtc))
        {
            if (total - freed <= budgetBytes)
            {
                break;
            }

            // A hard-linked copy in a running job's workspace keeps its data; only this name goes.
            freed += file.Length;
            file.Delete();
        }

        return freed;
    }

    /// <summary>Puts <paramref name="source"/> (a file in this cache) at <paramref name="target"/>: a hard link where allowed, else a copy.</summary>
    public static void Materialise(string source, string target, bool hardLink)
    {
        if (hardLink)
        {
            FileLinks.LinkOrCopy(source, target);
            return;
        }

        File.Copy(source, target, overwrite: true);
    }
}
