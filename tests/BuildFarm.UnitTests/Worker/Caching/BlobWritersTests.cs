using System.Buffers;
using System.Security.Cryptography;
using BuildFarm.Core.Caching;
using BuildFarm.Worker.Caching;

namespace BuildFarm.UnitTests.Worker.Caching;

public sealed class BlobWritersTests : IDisposable
{
    private const int Capacity = 64 * 1024;

    private readonly string _root = Directory.CreateTempSubdirectory("buildfarm-blob-writers-").FullName;

    [Fact]
    public async Task Blobs_beyond_the_queues_bytes_wait_for_room_and_all_are_placed_even_one_larger_than_the_queue()
    {
        // Five blobs of 40 KB and one of 200 KB through a 64 KiB queue: at most one waits at a time.
        var contents = Enumerable.Range(0, 5).Select(_ => RandomNumberGenerator.GetBytes(40_000)).Append(RandomNumberGenerator.GetBytes(200_000)).ToList();
        var (files, tree, writers, failed) = Start(contents, out var hashes);

        await Task.WhenAll(hashes.Select((hash, i) => writers.ReceiveAsync(hash, Stored(contents[i]), failed.Token).AsTask()));
        await writers.CompleteAsync();
        tree.MoveIntoPlace();

        Assert.Equal(contents.Count, writers.Received);
        for (var i = 0; i < contents.Count; i++)
        {
            Assert.Equal(contents[i], await File.ReadAllBytesAsync(Path.Combine(_root, "home", files[i].Path)));
        }

        tree.Dispose();
        failed.Dispose();
    }

    [Fact]
    public async Task A_corrupt_blob_fails_the_restore_and_releases_a_store_read_waiting_for_room()
    {
        var contents = new[] { RandomNumberGenerator.GetBytes(60_000), RandomNumberGenerator.GetBytes(60_000) };
        var (_, tree, writers, failed) = Start(contents, out var hashes);
        var corrupt = Stored(contents[0]);
        corrupt.Memory.Span[^1] ^= 0xFF;

        // The first fills the queue; the second waits for room that the failed writer never frees.
        var first = writers.ReceiveAsync(hashes[0], corrupt, failed.Token).AsTask();
        var second = writers.ReceiveAsync(hashes[1], Stored(contents[1]), failed.Token).AsTask();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second.WaitAsync(TimeSpan.FromSeconds(10)));
        await first;
        await Assert.ThrowsAsync<CacheCorruptException>(writers.CompleteAsync);
        Assert.True(failed.IsCancellationRequested);

        tree.Dispose();
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(_root), p => Path.GetFileName(p).Contains("restoring", StringComparison.Ordinal));
        failed.Dispose();
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private (List<CacheManifestFile> Files, StagingTree Tree, BlobWriters Writers, CancellationTokenSource Failed) Start(
        IReadOnlyList<byte[]> contents, out List<string> hashes)
    {
        hashes = contents.Select(c => Convert.ToHexStringLower(SHA256.HashData(c))).ToList();
        var files = hashes.Select((hash, i) => new CacheManifestFile(0, $"lib{i}/lib{i}.jar", contents[i].Length, 0x1A4, hash, [hash])).ToList();
        var tree = new StagingTree(new LocalBlobCache(Path.Combine(_root, "local")), hardLinks: true, trackAccess: false, new CacheRestoreTimings());
        tree.Add(0, new CacheRoot("home", Path.Combine(_root, "home")));
        var failed = new CancellationTokenSource();
        var writers = new BlobWriters(files.ToLookup(f => f.ContentId, StringComparer.Ordinal), tree, new CacheRestoreTimings(), Capacity, writers: 1, failed);
        return (files, tree, writers, failed);
    }

    /// <summary>Stored as the cache stores it (random bytes: the raw form), in a buffer the writers own.</summary>
    private static IMemoryOwner<byte> Stored(byte[] content)
    {
        var stored = new ChunkCodec(3).Compress(content, out var buffer).ToArray();
        ArrayPool<byte>.Shared.Return(buffer);
        var owner = MemoryPool<byte>.Shared.Rent(stored.Length);
        stored.CopyTo(owner.Memory);
        return new Exact(owner, stored.Length);
    }

    private sealed class Exact(IMemoryOwner<byte> owner, int length) : IMemoryOwner<byte>
    {
        public Memory<byte> Memory => owner.Memory[..length];

        public void Dispose() => owner.Dispose();
    }
}
