using System.Buffers;

namespace BuildFarm.Storage.Caching;

/// <summary>
/// One save's blobs on S3. A request to s3rver (or S3) costs milliseconds whatever its size, so a
/// Gradle home's thousands of small jars must not be thousands of PUTs and HEADs: blobs smaller
/// than <see cref="PackThreshold"/> (stored size) are appended to a pack of a few MiB that goes up
/// in one PUT, and whether a blob is stored is answered from one listing of packs and blobs taken
/// when the save starts, not asked blob by blob.
/// </summary>
/// <remarks>
/// Loose blobs below the threshold (written before packs existed) count as missing, so the first
/// save after the change moves them into packs once; entries that name them still restore them.
/// </remarks>
internal sealed class S3PackedUpload(S3Objects objects, S3CacheLayout layout, S3PackIndex index) : IBlobUpload
{
    /// <summary>Stored sizes below this go into packs; a full chunk of a jar (already zip) stays a blob of its own.</summary>
    public const int PackThreshold = 1024 * 1024;

    /// <summary>A pack is sent when the next blob would not fit: 3 to 4 MiB, one PUT each, and memory stays a few packs.</summary>
    public const int PackBytes = 4 * 1024 * 1024;

    private const int PacksInFlight = 4;

    private readonly Lock _filling = new();
    private readonly SemaphoreSlim _sending = new(PacksInFlight, PacksInFlight);
    private readonly SemaphoreSlim _listing = new(1, 1);
    private HashSet<string>? _stored;
    private byte[]? _pack;
    private int _length;
    private List<S3PackMember> _members = [];

    public async Task<bool> HasBlobAsync(string hash, CancellationToken cancellationToken) =>
        (_stored ?? await StoredAsync(cancellationToken)).Contains(hash);

    public async Task PutBlobAsync(string hash, ReadOnlyMemory<byte> compressed, CancellationToken cancellationToken)
    {
        if (compressed.Length >= PackThreshold)
        {
            await objects.PutAsync(layout.BlobKey(hash), compressed, cancellationToken);
            return;
        }

        (byte[] Pack, int Length, List<S3PackMember> Members)? full = null;
        lock (_filling)
        {
            if (_pack is not null && _length + compressed.Length > PackBytes)
            {
                full = TakePack();
            }

            _pack ??= ArrayPool<byte>.Shared.Rent(PackBytes);
            compressed.Span.CopyTo(_pack.AsSpan(_length));
            _members.Add(new S3PackMember(hash, _length, compressed.Length));
            _length += compressed.Length;
        }

        if (full is { } ready)
        {
            await SendAsync(ready, cancellationToken);
        }
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        (byte[] Pack, int Length, List<S3PackMember> Members)? last;
        lock (_filling)
        {
            last = _pack is null ? null : TakePack();
        }

        if (last is { } ready)
        {
            await SendAsync(ready, cancellationToken);
        }
    }

    public ValueTask DisposeAsync()
    {
        lock (_filling)
        {
            if (_pack is not null)
            {
                ArrayPool<byte>.Shared.Return(_pack);
                _pack = null;
            }
        }

        _sending.Dispose();
        _listing.Dispose();
        return ValueTask.CompletedTask;
    }

    private (byte[] Pack, int Length, List<S3PackMember> Members) TakePack()
    {
        var taken = (_pack!, _length, _members);
        _pack = null;
        _length = 0;
        _members = [];
        return taken;
    }

    private async Task SendAsync((byte[] Pack, int Length, List<S3PackMember> Members) ready, CancellationToken cancellationToken)
    {
        try
        {
            await _sending.WaitAsync(cancellationToken);
            try
            {
                await S3PackWriter.WriteAsync(objects, layout, index, ready.Pack.AsMemory(0, ready.Length), ready.Members, cancellationToken);
            }
            finally
            {
                _sending.Release();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(ready.Pack);
        }
    }

    /// <summary>Every blob the store has, as the save starts: one listing of packs and one of blobs, however many files.</summary>
    private async Task<HashSet<string>> StoredAsync(CancellationToken cancellationToken)
    {
        await _listing.WaitAsync(cancellationToken);
        try
        {
            if (_stored is { } known)
            {
                return known;
            }

            var packs = await index.RefreshAsync(cancellationToken);
            var stored = packs.Packs.SelectMany(p => p.Members).Select(m => m.Hash).ToHashSet(StringComparer.Ordinal);
            foreach (var blob in await objects.ListAsync(layout.BlobsPrefix, cancellationToken))
            {
                if ((blob.Size ?? 0) >= PackThreshold && S3CacheLayout.HashOf(blob.Key) is { } hash)
                {
                    stored.Add(hash);
                }
            }

            _stored = stored;
            return stored;
        }
        finally
        {
            _listing.Release();
        }
    }
}
