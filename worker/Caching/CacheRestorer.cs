using System.Buffers;
using System.Diagnostics;
using BuildFarm.Core.Caching;
using BuildFarm.Storage.Caching;
using Microsoft.Win32.SafeHandles;

namespace BuildFarm.Worker.Caching;

/// <summary>
/// One restore: find the manifest, fetch into the local blob cache only the files it lacks (every
/// chunk verified by hash; one-chunk files in one batch the store may serve from packs, larger
/// files chunk by chunk, a few per file in flight, bounded overall), materialise into a staging
/// directory beside each root, and only when everything is there move it into place. Any failure
/// deletes the staging directories, so a half-restored tree is never used.
/// </summary>
internal sealed class CacheRestorer(ICacheStore store, LocalBlobCache local, int parallelism, bool hardLinks)
{
    // Chunks of one file fetched ahead of the one being written.
    private const int ChunksAheadPerFile = 2;

    private readonly SemaphoreSlim _fetches = new(parallelism, parallelism);
    private long _downloaded;
    private long _fromLocal;

    public long BytesDownloaded => Interlocked.Read(ref _downloaded);

    public long BytesFromLocal => Interlocked.Read(ref _fromLocal);

    public CacheRestoreTimings Timings { get; } = new();

    public static async Task<(CacheManifest? Manifest, bool Fallback)> FindAsync(
        ICacheStore store, string key, IReadOnlyList<string> fallbackPrefixes, CancellationToken cancellationToken)
    {
        if (await store.GetManifestAsync(key, cancellationToken) is { } exact)
        {
            return (Read(exact), false);
        }

        foreach (var prefix in fallbackPrefixes)
        {
            var entries = await store.ListEntriesAsync(prefix, cancellationToken);
            // Newest first; an entry whose manifest vanished meanwhile (evicted) gives way to the next.
            foreach (var entry in entries.OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Key, StringComparer.Ordinal))
            {
                if (await store.GetManifestAsync(entry.Key, cancellationToken) is { } found)
                {
                    return (Read(found), true);
                }
            }
        }

        return (null, false);
    }

    /// <summary>
    /// Puts the manifest's files under the roots; returns the files restored, by
    /// <see cref="CacheRestoreResult.FileKey"/>. With <paramref name="trackAccess"/> each file is
    /// marked unread, so a save can tell which ones the build used.
    /// </summary>
    public async Task<Dictionary<string, RestoredFile>> RestoreAsync(
        CacheManifest manifest, IReadOnlyList<CacheRoot> roots, bool trackAccess, CancellationToken cancellationToken)
    {
        var byName = roots.ToDictionary(r => r.Name, StringComparer.Ordinal);
        var staging = new Dictionary<int, (CacheRoot Root, string Directory)>();
        try
        {
            for (var i = 0; i < manifest.Roots.Count; i++)
            {
                if (byName.TryGetValue(manifest.Roots[i], out var root))
                {
                    var directory = StagingFor(root.Directory);
                    Directory.CreateDirectory(directory);
                    staging[i] = (root, directory);
                }
            }

            var files = manifest.Files.Where(f => staging.ContainsKey(f.Root)).ToList();
            // One-chunk files the worker lacks (most of a Gradle home: small jars and poms) are
            // fetched together, so the store can batch them (S3 reads packs); the rest file by file.
            var batched = files
                .Where(f => f.Chunks.Count == 1 && !local.Has(f.ContentId, f.Size))
                .ToLookup(f => f.ContentId, StringComparer.Ordinal);
            using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var fetching = FetchBatchedAsync(batched, staging, failed);
            var oneByOne = Parallel.ForEachAsync(
                files.Where(f => !batched.Contains(f.ContentId)),
                new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = failed.Token },
                async (file, token) =>
                {
                    try
                    {
                        var source = file.Size == 0 ? null : await EnsureLocalAsync(file, manifest.ChunkSize, token);
                        var started = Stopwatch.GetTimestamp();
                        Materialise(file, source, staging[file.Root].Directory);
                        Timings.AddMaterialise(started);
                    }
                    catch
                    {
                        await failed.CancelAsync();
                        throw;
                    }
                });
            await Task.WhenAll(fetching, oneByOne);
            var finishing = Stopwatch.GetTimestamp();

            foreach (var (_, (root, directory)) in staging)
            {
                MoveIntoPlace(directory, root.Directory);
            }

            var restored = new Dictionary<string, RestoredFile>(StringComparer.Ordinal);
            foreach (var file in files)
            {
                var root = staging[file.Root].Root;
                var path = Path.Combine(root.Directory, file.Path);
                if (trackAccess)
                {
                    AccessTracker.MarkUnread(path);
                }

                restored[CacheRestoreResult.FileKey(root.Name, file.Path)] = new RestoredFile(file, File.GetLastWriteTimeUtc(path));
            }

            Timings.AddFinish(finishing);
            return restored;
        }
        finally
        {
            foreach (var (_, (_, directory)) in staging)
            {
                DeleteIfExists(directory);
            }
        }
    }

    private async Task FetchBatchedAsync(
        ILookup<string, CacheManifestFile> batched, Dictionary<int, (CacheRoot Root, string Directory)> staging, CancellationTokenSource failed)
    {
        if (batched.Count == 0)
        {
            return;
        }

        var received = 0;
        try
        {
            await store.FetchBlobsAsync(
                batched.Select(g => g.Key).ToList(),
                parallelism,
                (hash, stored, _) =>
                {
                    var files = batched[hash];
                    var size = files.First().Size;
                    if (stored is null)
                    {
                        throw new CacheCorruptException($"Blob {hash} is missing from the store.");
                    }

                    Interlocked.Add(ref _downloaded, stored.Memory.Length);
                    var started = Stopwatch.GetTimestamp();
                    var content = ChunkCodec.DecodeVerified(stored.Memory, (int)size, hash, out var pooled);
                    started = Timings.AddDecode(started);
                    string source;
                    try
                    {
                        source = WriteLocal(hash, content.Span);
                        started = Timings.AddWrite(started);
                    }
                    finally
                    {
                        if (pooled is not null)
                        {
                            ArrayPool<byte>.Shared.Return(pooled);
                        }
                    }

                    Interlocked.Increment(ref received);
                    foreach (var file in files)
                    {
                        Materialise(file, source, staging[file.Root].Directory);
                    }

                    Timings.AddMaterialise(started);
                    return ValueTask.CompletedTask;
                },
                failed.Token);
        }
        catch
        {
            await failed.CancelAsync();
            throw;
        }

        // A store that skipped a blob without saying so would leave files out of the tree.
        if (received != batched.Count)
        {
            throw new CacheCorruptException($"The store returned {received} of {batched.Count} blobs.");
        }
    }

    /// <summary>A verified one-chunk file into the local blob cache.</summary>
    private string WriteLocal(string contentId, ReadOnlySpan<byte> content)
    {
        var incoming = local.NewIncomingPath();
        try
        {
            using (var output = File.OpenHandle(incoming, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                RandomAccess.Write(output, content, 0);
            }

            return local.Commit(incoming, contentId);
        }
        catch
        {
            File.Delete(incoming);
            throw;
        }
    }

    /// <summary>Puts one file in the staging tree: from the local blob cache, or empty when <paramref name="source"/> is null.</summary>
    private void Materialise(CacheManifestFile file, string? source, string stagingDirectory)
    {
        var target = Path.Combine(stagingDirectory, file.Path);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (source is null)
        {
            File.Create(target).Dispose();
        }
        else
        {
            LocalBlobCache.Materialise(source, target, hardLinks);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(target, (UnixFileMode)(file.Mode & 0x1FF) | UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private async Task<string> EnsureLocalAsync(CacheManifestFile file, int chunkSize, CancellationToken cancellationToken)
    {
        if (local.Has(file.ContentId, file.Size))
        {
            Interlocked.Add(ref _fromLocal, file.Size);
            return local.PathOf(file.ContentId);
        }

        var incoming = local.NewIncomingPath();
        try
        {
            // A file of several chunks gets its blocks in one go; a one-chunk jar is a single write anyway.
            using (var output = File.OpenHandle(incoming, FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.None, file.Size > chunkSize ? file.Size : 0))
            {
                var pending = new Queue<Task<DecodedChunk>>();
                var next = 0;
                long offset = 0;
                try
                {
                    while (next < file.Chunks.Count || pending.Count > 0)
                    {
                        while (next < file.Chunks.Count && pending.Count < ChunksAheadPerFile)
                        {
                            var length = (int)Math.Min(chunkSize, file.Size - ((long)next * chunkSize));
                            pending.Enqueue(FetchAsync(file.Chunks[next], length, cancellationToken));
                            next++;
                        }

                        var waiting = Stopwatch.GetTimestamp();
                        using var chunk = await pending.Dequeue();
                        offset += WriteAt(output, chunk.Content.Span, Timings.AddWaitingForStore(waiting), offset);
                    }
                }
                finally
                {
                    // Fetches still running after a failure give their buffers back as they end.
                    foreach (var task in pending)
                    {
                        _ = task.ContinueWith(t => t.Result.Dispose(), CancellationToken.None,
                            TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
                    }
                }
            }

            return local.Commit(incoming, file.ContentId);
        }
        catch
        {
            File.Delete(incoming);
            throw;
        }
    }

    /// <summary>
    /// A plain positional write: the chunk is in memory and the kernel only copies it into the page
    /// cache, so an asynchronous write would add a thread-pool hop per chunk and gain nothing.
    /// </summary>
    private int WriteAt(SafeFileHandle output, ReadOnlySpan<byte> content, long started, long offset)
    {
        RandomAccess.Write(output, content, offset);
        Timings.AddWrite(started);
        return content.Length;
    }

    private async Task<DecodedChunk> FetchAsync(string hash, int length, CancellationToken cancellationToken)
    {
        await _fetches.WaitAsync(cancellationToken);
        try
        {
            var stored = await store.RentBlobAsync(hash, cancellationToken)
                ?? throw new CacheCorruptException($"Blob {hash} is missing from the store.");
            try
            {
                Interlocked.Add(ref _downloaded, stored.Memory.Length);
                var started = Stopwatch.GetTimestamp();
                var content = ChunkCodec.DecodeVerified(stored.Memory, length, hash, out var pooled);
                Timings.AddDecode(started);
                return new DecodedChunk(content, stored, pooled);
            }
            catch
            {
                stored.Dispose();
                throw;
            }
        }
        finally
        {
            _fetches.Release();
        }
    }

    private static CacheManifest Read(byte[] stored)
    {
        try
        {
            return CacheManifest.Deserialize(ChunkCodec.DecompressManifest(stored));
        }
        catch (InvalidDataException ex)
        {
            throw new CacheCorruptException(ex.Message, ex);
        }
    }

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
