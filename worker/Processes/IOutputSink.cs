using BuildFarm.Protos.V1;

namespace BuildFarm.Worker.Processes;

/// <summary>
/// Receives a step's output exactly as the child wrote it: raw bytes, one call per read.
/// </summary>
/// <remarks>
/// The stdout and stderr readers call this concurrently, so an implementation serializes itself.
/// The data is the reader's buffer and is reused once the returned task completes:
/// copy what you keep. A slow sink is fine: the reader does not read again until the write
/// completes, so the child blocks on a full pipe instead of the worker buffering without bound.
/// </remarks>
public interface IOutputSink
{
    ValueTask WriteAsync(LogStream stream, ReadOnlyMemory<byte> data, CancellationToken cancellationToken);
}
