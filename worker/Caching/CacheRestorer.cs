using System.Diagnostics;
using System.Runtime.ExceptionServices;
using BuildFarm.Core.Caching;
using BuildFarm.Storage.Caching;
using Microsoft.Win32.SafeHandles;

namespace BuildFarm.Worker.Caching;

/// <summary>
/// One restore: find the manifest, fetch only the files the local blob cache lacks (every chunk
/// verified by hash), put each file into a staging directory beside its root as soon as its content
/// is here, and only when everything is there move the staging directories into place. One-chunk
/// files go in one batch the store may serve from packs, handed to <see cref="BlobWriters"/> so
/// decoding and writing overlap the store's reads; larger files go chunk by chunk, a few per file
/// in flight, bounded overall. Any failure deletes the staging directories, so a half-restored
/// tree is never used.
/// </summary>
internal sealed class CacheRestorer(ICacheStore store, LocalBlobCache local, int parallelism, bool hardLinks)
{
    // Chunks of one file fetched ahead of the one being written.
    private const int ChunksAheadPerFile = 2;

    // Blob writers decode and write while the store reads: file system calls block in the kernel
    // part of the time, so two per core keep the cores busy without crowding them.
    private static readonly int Writers = Math.Max(2, Environment.ProcessorCount * 2);

    // Fetched blobs waiting for the writers, in bytes: enough for the store's reads to run on while
    // the writers wait on the file system, a small part of the restore's memory bound.
    private const int QueuedBytes = 32 * 1024 * 1024;

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
    public async Task<IReadOnlyDictionary<string, RestoredFile>> RestoreAsync(
        CacheManifest manifest, IReadOnlyList<CacheRoot> roots, bool trackAccess, CancellationToken cancellationToken)
    {
        var byName = roots.ToDictionary(r => r.Name, StringComparer.Ordinal);
        using var tree = new StagingTree(local, hardLinks, trackAccess, Timings);
        for (var i = 0; i < manifest.Roots.Count; i++)
        {
            if (byName.TryGetValue(manifest.Roots[i], out var root))
            {
                tree.Add(i, root);
            }
        }

        var files = manifest.Files.Where(f => tree.Has(f.Root)).ToList();
        // One-chunk files the worker lacks (most of a Gradle home: small jars and poms) are
        // fetched together, so the store can batch them (S3 reads packs); the rest file by file.
        var batched = files
            .Where(f => f.Chunks.Count == 1 && !local.Has(f.ContentId, f.Size))
            .ToLookup(f => f.ContentId, StringComparer.Ordinal);
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var fetching = FetchBatchedAsync(batched, tree, failed);
        var oneByOne = Parallel.ForEachAsync(
            files.Where(f => !batched.Contains(f.ContentId)),
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = failed.Token },
            async (file, token) =>
            {
                try
                {
                    tree.PlaceFromLocal(file, file.Size == 0 ? null : await EnsureLocalAsync(file, manifest.ChunkSize, token));
                }
                catch
                {
                    await failed.CancelAsync();
                    throw;
                }
            });
        await FirstCauseAsync(fetching, oneByOne);

        var finishing = Stopwatch.GetTimestamp();
        tree.MoveIntoPlace();
        Timings.AddFinish(finishing);
        return tree.Placed;
    }

    /// <summary>Both, and when either failed the other's cancellation is not the reason given: the failure that caused it is.</summary>
    private static async Task FirstCauseAsync(Task a, Task b)
    {
        var both = Task.WhenAll(a, b);
        try
        {
            await both;
        }
        catch (OperationCanceledException) when (both.Exception?.InnerExceptions.FirstOrDefault(e => e is not OperationCanceledException) is { } cause)
        {
            ExceptionDispatchInfo.Throw(cause);
        }
    }

    private async Task FetchBatchedAsync(ILookup<string, CacheManifestFile> batched, StagingTree tree, CancellationTokenSource failed)
    {
        if (batched.Count == 0)
        {
            return;
        }

        var writers = new BlobWriters(batched, tree, Timings, QueuedBytes, Writers, failed);
        Exception? fetchFailure = null;
        try
        {
            await store.FetchBlobsAsync(batched.Select(g => g.Key).ToList(), parallelism, writers.ReceiveAsync, failed.Token);
        }
        catch (Exception ex)
        {
            // Held until the writers are done: when one failed (a corrupt blob) it closed the
            // queue and so failed the fetch, and its failure, from CompleteAsync, is the cause.
            fetchFailure = ex;
        }

        try
        {
            await writers.CompleteAsync();
        }
        finally
        {
            Interlocked.Add(ref _downloaded, writers.BytesDownloaded);
        }

        if (fetchFailure is not null)
        {
            await failed.CancelAsync();
            ExceptionDispatchInfo.Throw(fetchFailure);
        }

        // A store that skipped a blob without saying so would leave files out of the tree.
        if (writers.Received != batched.Count)
        {
            throw new CacheCorruptException($"The store returned {writers.Received} of {batched.Count} blobs.");
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
}
