using System.Diagnostics;

namespace BuildFarm.Worker.Caching;

/// <summary>
/// Where one restore's time went, so a slow restore can be pinned on the store, the CPU or the
/// disk instead of guessed at. The stages run on several threads at once, so each figure is the
/// summed time of the threads in it (it can exceed the restore's wall time); only
/// <see cref="Finish"/> is wall time. Measuring costs two timestamps per blob and per file.
/// </summary>
public sealed class CacheRestoreTimings
{
    private long _waitingForStore;
    private long _storeWaiting;
    private long _decode;
    private long _write;
    private long _materialise;
    private long _finish;

    /// <summary>Workers idle until the store handed them a blob (or a large file's chunk): the network (or the server) is what they wait on.</summary>
    public TimeSpan WaitingForStore => Stopwatch.GetElapsedTime(0, Volatile.Read(ref _waitingForStore));

    /// <summary>Store reads held back because the workers were busy: the CPU or the disk is what the network waits on.</summary>
    public TimeSpan StoreWaiting => Stopwatch.GetElapsedTime(0, Volatile.Read(ref _storeWaiting));

    /// <summary>Decompressing and checking each blob's SHA-256.</summary>
    public TimeSpan Decode => Stopwatch.GetElapsedTime(0, Volatile.Read(ref _decode));

    /// <summary>Writing verified content into the local blob cache (create, write, rename).</summary>
    public TimeSpan Write => Stopwatch.GetElapsedTime(0, Volatile.Read(ref _write));

    /// <summary>Putting files in the staging tree: directories, hard links or copies, modes, access marks.</summary>
    public TimeSpan Materialise => Stopwatch.GetElapsedTime(0, Volatile.Read(ref _materialise));

    /// <summary>Wall time after the last file: moving the staging trees into place and listing what was restored.</summary>
    public TimeSpan Finish => Stopwatch.GetElapsedTime(0, Volatile.Read(ref _finish));

    public override string ToString() =>
        $"waiting for the store {WaitingForStore.TotalSeconds:0.0} s, store held back {StoreWaiting.TotalSeconds:0.0} s, "
        + $"decode+verify {Decode.TotalSeconds:0.0} s, local write {Write.TotalSeconds:0.0} s, materialise {Materialise.TotalSeconds:0.0} s (thread-seconds); "
        + $"finish {Finish.TotalSeconds:0.0} s";

    /// <returns>A timestamp, for the next stage's start.</returns>
    internal long AddWaitingForStore(long started) => Add(ref _waitingForStore, started);

    internal long AddStoreWaiting(long started) => Add(ref _storeWaiting, started);

    internal long AddDecode(long started) => Add(ref _decode, started);

    internal long AddWrite(long started) => Add(ref _write, started);

    internal long AddMaterialise(long started) => Add(ref _materialise, started);

    internal long AddFinish(long started) => Add(ref _finish, started);

    private static long Add(ref long total, long started)
    {
        var now = Stopwatch.GetTimestamp();
        Interlocked.Add(ref total, now - started);
        return now;
    }
}
