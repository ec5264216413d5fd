using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using BuildFarm.Core.Caching;
using BuildFarm.Storage.Caching;
using Microsoft.Win32.SafeHandles;

namespace BuildFarm.Worker.Caching;

/// <summary>
/// One save: walk the roots, split each file into chunks named by their SHA-256, upload only the
/// chunks the store lacks (compressed, several in flight, through the store's
/// <see cref="IBlobUpload"/>, which may pack them), then publish the manifest. Files a
/// restore put in place and the build left unchanged keep their hashes without being read again,
/// and chunks of the restored entry are known to be stored.
/// </summary>
internal sealed class CacheSaver(IBlobUpload upload, ChunkCodec codec, int chunkSize, int parallelism)
{
    private readonly ConcurrentDictionary<string, byte> _handled = new(StringComparer.Ordinal);
    private long _uploadedBytes;
    private int _uploaded;
    private int _reused;

    public long BytesUploaded => Interlocked.Read(ref _uploadedBytes);

    public int BlobsUploaded => _uploaded;

    public int BlobsReused => _reused;

    /// <summary>The manifest's files, after hashing and uploading whatever is new; <paramref name="dropped"/> counts unread files left out.</summary>
    public async Task<List<CacheManifestFile>> CollectAsync(
        IReadOnlyList<CacheRoot> roots, CacheRestoreResult? restored, Action<int> dropped, CancellationToken cancellationToken)
    {
        if (restored?.Manifest is { } previous)
        {
            foreach (var hash in previous.Files.SelectMany(f => f.Chunks))
            {
                _handled.TryAdd(hash, 0);
            }
        }

        var candidates = new List<(int Root, string Path, FileInfo Info, RestoredFile? Restored)>();
        var droppedCount = 0;
        for (var i = 0; i < roots.Count; i++)
        {
            foreach (var (path, info) in CacheTreeWalker.Walk(roots[i]))
            {
                RestoredFile? before = null;
                restored?.RestoredFiles.TryGetValue(CacheRestoreResult.FileKey(roots[i].Name, path), out before);
                if (before is not null && restored!.AccessTracked && roots[i].GradleHomePath is { } gradle
                    && GradleCache.MayDropWhenUnread(gradle + path) && !AccessTracker.WasRead(info.FullName))
                {
                    droppedCount++;
                    continue;
                }

                candidates.Add((i, path, info, before));
            }
        }

        dropped(droppedCount);
        var files = new CacheManifestFile[candidates.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, candidates.Count),
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (index, token) =>
            {
                var (root, path, info, before) = candidates[index];
                var mode = OperatingSystem.IsWindows() ? 0x1A4 : (int)info.UnixFileMode;
                if (before is not null && before.File.Size == info.Length && before.LastWriteUtc == info.LastWriteTimeUtc)
                {
                    files[index] = before.File with { Root = root, Path = path, Mode = mode };
                    return;
                }

                var chunks = await HashAndUploadAsync(info, token);
                files[index] = new CacheManifestFile(root, path, info.Length, mode, CacheManifest.ContentIdOf(chunks), chunks);
            });
        return [.. files];
    }

    private async Task<List<string>> HashAndUploadAsync(FileInfo info, CancellationToken cancellationToken)
    {
        var chunks = new List<string>((int)Math.Min(1024, (info.Length / chunkSize) + 1));
        if (info.Length == 0)
        {
            return chunks;
        }

        // Two buffers: while one chunk is being asked about and uploaded, the next one is read and hashed.
        var size = (int)Math.Min(chunkSize, info.Length);
        var current = ArrayPool<byte>.Shared.Rent(size);
        var spare = info.Length > chunkSize ? ArrayPool<byte>.Shared.Rent(size) : null;
        Task uploading = Task.CompletedTask;
        try
        {
            using var handle = File.OpenHandle(info.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            for (long offset = 0; offset < info.Length; offset += chunkSize)
            {
                var length = (int)Math.Min(chunkSize, info.Length - offset);
                ReadExactly(handle, current.AsSpan(0, length), offset, info.FullName);
                var hash = Convert.ToHexStringLower(SHA256.HashData(current.AsSpan(0, length)));
                chunks.Add(hash);
                await uploading;
                uploading = UploadIfMissingAsync(hash, current.AsMemory(0, length), cancellationToken);
                (current, spare) = (spare ?? current, current);
            }

            await uploading;
            return chunks;
        }
        finally
        {
            // Never give a buffer back while an upload may still read it.
            await uploading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            ArrayPool<byte>.Shared.Return(current);
            if (spare is not null && spare != current)
            {
                ArrayPool<byte>.Shared.Return(spare);
            }
        }
    }

    /// <summary>
    /// A plain positional read: files under a Gradle home are in the page cache after the build
    /// that wrote them, so an asynchronous read would add a thread-pool hop per chunk and gain nothing.
    /// </summary>
    private static void ReadExactly(SafeFileHandle handle, Span<byte> buffer, long offset, string path)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = RandomAccess.Read(handle, buffer[read..], offset + read);
            if (n == 0)
            {
                throw new IOException($"{path} shrank while it was being saved.");
            }

            read += n;
        }
    }

    private async Task UploadIfMissingAsync(string hash, ReadOnlyMemory<byte> raw, CancellationToken cancellationToken)
    {
        // Once per save: a chunk that several files share, or that the restored entry named, is not asked about again.
        if (!_handled.TryAdd(hash, 0))
        {
            return;
        }

        if (await upload.HasBlobAsync(hash, cancellationToken))
        {
            Interlocked.Increment(ref _reused);
            return;
        }

        var compressed = codec.Compress(raw.Span, out var pooled);
        try
        {
            await upload.PutBlobAsync(hash, compressed, cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(pooled);
        }

        Interlocked.Add(ref _uploadedBytes, compressed.Length);
        Interlocked.Increment(ref _uploaded);
    }
}
