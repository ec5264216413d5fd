using System.Buffers;
using System.Diagnostics;
using System.Threading.Channels;
using BuildFarm.Core.Caching;

namespace BuildFarm.Worker.Caching;

/// <summary>
/// The restore's CPU and disk side, behind a bounded queue: the store hands each fetched blob over
/// and reads on at once, while a few writers decode, verify and place the blobs. Before, every
/// store read waited for its last blob's hash check, file writes and links, so the network sat
/// idle while the disk worked. Memory stays bounded: the queue holds at most its capacity in
/// bytes (plus one blob, each at most a chunk), and a store read waits when the queue is full.
/// </summary>
/// <remarks>
/// The bound is in bytes, not blobs: a pack's members are small (a few KiB to a MiB), and a queue
/// of eight of them (its bound before) held about a megabyte, so a writer pausing in the file
/// system for a few milliseconds stopped every read and left the server idle. Tens of MiB let the
/// reads run on through such pauses.
/// </remarks>
internal sealed class BlobWriters
{
    // The queue's room is counted in units of this many bytes, one semaphore permit each.
    private const int UnitBytes = 64 * 1024;

    private readonly Channel<(string Hash, IMemoryOwner<byte>? Stored, int Units)> _queue;
    private readonly SemaphoreSlim _room;

    // Room is taken a permit at a time, by one receiver at a time: two receivers each holding part
    // of what they need could otherwise wait for each other forever.
    private readonly SemaphoreSlim _taking = new(1, 1);
    private readonly int _units;
    private readonly ILookup<string, CacheManifestFile> _wanted;
    private readonly StagingTree _tree;
    private readonly CacheRestoreTimings _timings;
    private readonly CancellationTokenSource _failed;
    private readonly Task _writing;
    private long _received;
    private long _downloaded;

    /// <param name="wanted">The files of each blob hash, all of one chunk.</param>
    /// <param name="tree">Where the files go.</param>
    /// <param name="timings">Where the writers' time is counted.</param>
    /// <param name="capacityBytes">Stored bytes waiting at most (a larger blob is let in alone).</param>
    /// <param name="writers">Blobs decoded and placed at once.</param>
    /// <param name="failed">Cancelled when a writer fails, so the restore's reads stop.</param>
    public BlobWriters(
        ILookup<string, CacheManifestFile> wanted, StagingTree tree, CacheRestoreTimings timings, int capacityBytes, int writers, CancellationTokenSource failed)
    {
        _wanted = wanted;
        _tree = tree;
        _timings = timings;
        _failed = failed;
        _units = Math.Max(1, capacityBytes / UnitBytes);
        _room = new SemaphoreSlim(_units, _units);
        _queue = Channel.CreateUnbounded<(string, IMemoryOwner<byte>?, int)>(new UnboundedChannelOptions { SingleReader = writers == 1 });
        // Writers end when the queue is completed (always, by CompleteAsync), never by
        // cancellation: what they are writing is finished and then the restore's failure decides.
        _writing = Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(WriteAsync, CancellationToken.None)));
    }

    public long Received => Interlocked.Read(ref _received);

    public long BytesDownloaded => Interlocked.Read(ref _downloaded);

    /// <summary>A <c>BlobReceiver</c>: queues the blob (the buffer is disposed once it is placed), waiting while the queue is full.</summary>
    public async ValueTask ReceiveAsync(string hash, IMemoryOwner<byte>? stored, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var units = Math.Clamp(((stored?.Memory.Length ?? 0) + UnitBytes - 1) / UnitBytes, 1, _units);
        var taken = 0;
        try
        {
            await _taking.WaitAsync(cancellationToken);
            try
            {
                for (; taken < units; taken++)
                {
                    await _room.WaitAsync(cancellationToken);
                }
            }
            finally
            {
                _taking.Release();
            }

            if (!_queue.Writer.TryWrite((hash, stored, units)))
            {
                // Completed with a writer's failure; CompleteAsync reports it.
                throw new OperationCanceledException("The restore's writers stopped.");
            }
        }
        catch
        {
            // Queue closed (a writer failed) or the restore cancelled: nobody will take this buffer.
            if (taken > 0)
            {
                _room.Release(taken);
            }

            stored?.Dispose();
            throw;
        }

        _timings.AddStoreWaiting(started);
    }

    /// <summary>No more blobs: waits for the queued ones to be placed; throws a writer's failure (a corrupt or missing blob).</summary>
    public async Task CompleteAsync()
    {
        _queue.Writer.TryComplete();
        try
        {
            await _writing;
        }
        finally
        {
            // After a failure the queue may still hold buffers nobody will place.
            while (_queue.Reader.TryRead(out var left))
            {
                left.Stored?.Dispose();
            }
        }
    }

    private async Task WriteAsync()
    {
        try
        {
            var waiting = Stopwatch.GetTimestamp();
            while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
            {
                while (_queue.Reader.TryRead(out var blob))
                {
                    _timings.AddWaitingForStore(waiting);
                    using (blob.Stored)
                    {
                        Place(blob.Hash, blob.Stored);
                    }

                    _room.Release(blob.Units);

                    waiting = Stopwatch.GetTimestamp();
                }
            }
        }
        catch (Exception ex)
        {
            // The store's reads must stop too: they would wait for queue space forever. The other
            // writers end with the same failure.
            _queue.Writer.TryComplete(ex);
            await _failed.CancelAsync();
            throw;
        }
    }

    private void Place(string hash, IMemoryOwner<byte>? stored)
    {
        var files = _wanted[hash].ToList();
        if (stored is null || files.Count == 0)
        {
            throw new CacheCorruptException(stored is null ? $"Blob {hash} is missing from the store." : $"The store returned blob {hash}, which was not asked for.");
        }

        Interlocked.Increment(ref _received);
        Interlocked.Add(ref _downloaded, stored.Memory.Length);
        var started = Stopwatch.GetTimestamp();
        var content = ChunkCodec.DecodeVerified(stored.Memory, (int)files[0].Size, hash, out var pooled);
        _timings.AddDecode(started);
        try
        {
            _tree.PlaceContent(hash, files, content.Span);
        }
        finally
        {
            if (pooled is not null)
            {
                ArrayPool<byte>.Shared.Return(pooled);
            }
        }
    }
}
