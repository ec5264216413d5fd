using System.Buffers;

namespace BuildFarm.Storage.Caching;

/// <summary>
/// Takes one fetched blob (compressed, as stored), or null when the store does not have it. The
/// receiver owns the buffer and disposes it, when it likes: so it can queue the blob for work on
/// other threads while the store reads on, without copying it.
/// </summary>
public delegate ValueTask BlobReceiver(string hash, IMemoryOwner<byte>? stored, CancellationToken cancellationToken);
