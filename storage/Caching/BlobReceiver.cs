using System.Buffers;

namespace BuildFarm.Storage.Caching;

/// <summary>
/// Takes one fetched blob (compressed, as stored), or null when the store does not have it. The
/// buffer is the store's again when the returned task ends, so the receiver uses it up before then.
/// </summary>
public delegate ValueTask BlobReceiver(string hash, IMemoryOwner<byte>? stored, CancellationToken cancellationToken);
