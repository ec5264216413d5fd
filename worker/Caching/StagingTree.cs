using System.Collections.Concurrent;
using System.Diagnostics;
using BuildFarm.Core.Caching;

namespace BuildFarm.Worker.Caching;

/// <summary>
/// The file-system side of one restore: a staging directory beside each root, files put there as
/// their content arrives (from any thread), and what each became (its mtime, for the next save).
/// Only when every file is there are the directories moved into place; disposing deletes whatever
/// staging is left, so a half-restored tree is never used.
/// </summary>
internal sealed class StagingTree(LocalBlobCache local, bool hardLinks, bool trackAccess, CacheRestoreTimings timings) : IDisposable
{
    private readonly Dictionary<int, (CacheRoot Root, string Directory)> _roots = [];

    // Thousands of files share a few hundred directories; each is made once, not asked about per file.
    private readonly ConcurrentDictionary<string, byte> _directories = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RestoredFile> _placed = new(StringComparer.Ordinal);

    /// <summary>What was restored, by <see cref="CacheRestoreResult.FileKey"/>.</summary>
    public IReadOnlyDictionary<string, RestoredFile> Placed => _placed;

    /// <summary>Stages the manifest's root <paramref name="index"/> for <paramref name="root"/>.</summary>
    public void Add(int index, CacheRoot root)
    {
        var directory = StagingFor(root.Directory);
        Directory.CreateDirectory(directory);
        _roots[index] = (root, directory);
    }

    public bool Has(int index) => _roots.ContainsKey(index);

    /// <summary>One file from the local blob cache, or empty when <paramref name="source"/> is null.</summary>
    public void PlaceFromLocal(CacheManifestFile file, string? source)
    {
        var started = Stopwatch.GetTimestamp();
        var target = TargetOf(file);
        if (source is null)
        {
            File.Create(target).Dispose();
        }
        else
        {
            LocalBlobCache.Materialise(source, target, hardLinks);
        }

        Finish(file, target);
        timings.AddMaterialise(started);
    }

    /// <summary>
    /// Verified content and the files that have it: written once, straight into the first file,
    /// which then joins the local blob cache as a hard link; the others link to it. Without hard
    /// links the local copy and each file are written from memory instead of copied back off disk.
    /// </summary>
    public void PlaceContent(string contentId, IReadOnlyList<CacheManifestFile> files, ReadOnlySpan<byte> content)
    {
        var started = Stopwatch.GetTimestamp();
        var first = TargetOf(files[0]);
        WriteNew(files[0], first, content);
        if (!hardLinks || !local.TryAdopt(first, contentId))
        {
            local.Commit(WriteIncoming(content), contentId);
        }

        started = timings.AddWrite(started);
        for (var i = 1; i < files.Count; i++)
        {
            var target = TargetOf(files[i]);
            if (hardLinks)
            {
                LocalBlobCache.Materialise(first, target, hardLink: true);
                Finish(files[i], target);
            }
            else
            {
                WriteNew(files[i], target, content);
            }
        }

        timings.AddMaterialise(started);
    }

    /// <summary>Every staged root into its place; only local renames are left by now.</summary>
    public void MoveIntoPlace()
    {
        foreach (var (_, (root, directory)) in _roots)
        {
            MoveIntoPlace(directory, root.Directory);
        }
    }

    public void Dispose()
    {
        foreach (var (_, (_, directory)) in _roots)
        {
            DeleteIfExists(directory);
        }
    }

    private string TargetOf(CacheManifestFile file)
    {
        var target = Path.Combine(_roots[file.Root].Directory, file.Path);
        var directory = Path.GetDirectoryName(target)!;
        if (!_directories.ContainsKey(directory))
        {
            Directory.CreateDirectory(directory);
            _directories.TryAdd(directory, 0);
        }

        return target;
    }

    /// <summary>A new file with <paramref name="content"/>; its mode, access mark and mtime through the open handle.</summary>
    private void WriteNew(CacheManifestFile file, string target, ReadOnlySpan<byte> content)
    {
        using var output = File.OpenHandle(target, FileMode.CreateNew, FileAccess.Write);
        RandomAccess.Write(output, content, 0);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(output, ModeOf(file));
        }

        if (trackAccess)
        {
            AccessTracker.MarkUnread(output);
        }

        Record(file, File.GetLastWriteTimeUtc(output));
    }

    private string WriteIncoming(ReadOnlySpan<byte> content)
    {
        var incoming = local.NewIncomingPath();
        try
        {
            using var output = File.OpenHandle(incoming, FileMode.CreateNew, FileAccess.Write);
            RandomAccess.Write(output, content, 0);
            return incoming;
        }
        catch
        {
            File.Delete(incoming);
            throw;
        }
    }

    /// <summary>Mode, access mark and mtime of a file placed by name (a link or a copy).</summary>
    private void Finish(CacheManifestFile file, string target)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(target, ModeOf(file));
        }

        if (trackAccess)
        {
            AccessTracker.MarkUnread(target);
        }

        Record(file, File.GetLastWriteTimeUtc(target));
    }

    private void Record(CacheManifestFile file, DateTime lastWriteUtc) =>
        _placed[CacheRestoreResult.FileKey(_roots[file.Root].Root.Name, file.Path)] = new RestoredFile(file, lastWriteUtc);

    private static UnixFileMode ModeOf(CacheManifestFile file) =>
        (UnixFileMode)(file.Mode & 0x1FF) | UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>A sibling of the target, so moving into place is a rename on the same file system.</summary>
    private static string StagingFor(string target) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(target).TrimEnd('/'))!, $".{Path.GetFileName(target.TrimEnd('/'))}.restoring-{Guid.NewGuid():N}");

    private static void MoveIntoPlace(string staging, string target)
    {
        if (!Directory.Exists(target))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(target).TrimEnd('/'))!);
            Directory.Move(staging, target);
            return;
        }

        // The target exists (a checkout's node_modules, a HOME with other files): merge file by
        // file; everything was downloaded and verified before, so only local renames remain.
        foreach (var file in Directory.EnumerateFiles(staging, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(staging, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Move(file, destination, overwrite: true);
        }
    }

    private static void DeleteIfExists(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Under the job's workspace, which is deleted with the job; never a reason to fail it.
        }
    }
}
