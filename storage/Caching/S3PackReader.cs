namespace BuildFarm.Storage.Caching;

/// <summary>
/// Fetches many blobs from S3 with few requests: the packed ones grouped by pack into ranged GETs
/// (members close together share one range; what lies between is read and dropped, cheaper than
/// another request), each range streamed member by member, so memory is one member per request
/// in flight; blobs not in any pack (large chunks, entries from before packs) one GET each.
/// </summary>
internal sealed class S3PackReader(S3Objects objects, S3CacheLayout layout, S3PackIndex index)
{
    // A request costs about as much as reading this many bytes from s3rver on loopback.
    private const long MaxGapBytes = 256 * 1024;

    private const long MaxRangeBytes = 16L * 1024 * 1024;

    public async Task FetchAsync(IReadOnlyCollection<string> hashes, int parallelism, BlobReceiver receive, CancellationToken cancellationToken)
    {
        var packs = await index.RefreshAsync(cancellationToken);
        var packed = new Dictionary<string, List<S3PackMember>>(StringComparer.Ordinal);
        var loose = new List<string>();
        foreach (var hash in hashes.Distinct(StringComparer.Ordinal))
        {
            if (packs.TryLocate(hash, out var location))
            {
                if (!packed.TryGetValue(location.Pack, out var members))
                {
                    packed[location.Pack] = members = [];
                }

                members.Add(new S3PackMember(hash, location.Offset, location.Length));
            }
            else
            {
                loose.Add(hash);
            }
        }

        var ranges = packed.SelectMany(p => Ranges(p.Key, p.Value)).OrderByDescending(r => r.Last - r.First).ToList();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, ranges.Count + loose.Count),
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                if (i < ranges.Count)
                {
                    await ReadRangeAsync(ranges[i], receive, token);
                    return;
                }

                var hash = loose[i - ranges.Count];
                await receive(hash, await objects.RentIfExistsAsync(layout.BlobKey(hash), token), token);
            });
    }

    /// <summary>One member's stored bytes, or null when its pack is gone.</summary>
    public async Task<byte[]?> ReadAsync(S3PackedBlob location, CancellationToken cancellationToken)
    {
        using var response = await objects.OpenIfExistsAsync(layout.PackKey(location.Pack), (location.Offset, location.Offset + location.Length - 1), cancellationToken);
        if (response is null)
        {
            return null;
        }

        CheckLength(response.ContentLength, location.Length, location.Pack);
        var content = new byte[location.Length];
        await response.ResponseStream.ReadExactlyAsync(content, cancellationToken);
        return content;
    }

    private static IEnumerable<(string Pack, long First, long Last, List<S3PackMember> Members)> Ranges(string pack, List<S3PackMember> members)
    {
        members.Sort((a, b) => a.Offset.CompareTo(b.Offset));
        var current = new List<S3PackMember>();
        long first = 0;
        long last = 0;
        foreach (var member in members)
        {
            var end = member.Offset + member.Length - 1;
            if (current.Count > 0 && (member.Offset - last - 1 > MaxGapBytes || end - first + 1 > MaxRangeBytes))
            {
                yield return (pack, first, last, current);
                current = [];
            }

            if (current.Count == 0)
            {
                first = member.Offset;
            }

            current.Add(member);
            last = Math.Max(last, end);
        }

        if (current.Count > 0)
        {
            yield return (pack, first, last, current);
        }
    }

    private async Task ReadRangeAsync((string Pack, long First, long Last, List<S3PackMember> Members) range, BlobReceiver receive, CancellationToken cancellationToken)
    {
        using var response = await objects.OpenIfExistsAsync(layout.PackKey(range.Pack), (range.First, range.Last), cancellationToken);
        if (response is null)
        {
            // The pack went (a sweep) after the listing; the receiver decides what a missing blob means.
            foreach (var member in range.Members)
            {
                await receive(member.Hash, null, cancellationToken);
            }

            return;
        }

        CheckLength(response.ContentLength, range.Last - range.First + 1, range.Pack);
        var stream = response.ResponseStream;
        var position = range.First;
        byte[]? skip = null;
        foreach (var member in range.Members)
        {
            for (var gap = member.Offset - position; gap > 0;)
            {
                skip ??= new byte[64 * 1024];
                var n = (int)Math.Min(gap, skip.Length);
                await stream.ReadExactlyAsync(skip.AsMemory(0, n), cancellationToken);
                gap -= n;
            }

            var stored = new PooledBuffer(member.Length);
            try
            {
                await stream.ReadExactlyAsync(stored.Memory, cancellationToken);
            }
            catch
            {
                stored.Dispose();
                throw;
            }

            position = member.Offset + member.Length;
            await receive(member.Hash, stored, cancellationToken);
        }
    }

    /// <summary>A server that ignores Range would hand over the whole pack; reading it as the range would only fail the hash checks later, less clearly.</summary>
    private static void CheckLength(long actual, long expected, string pack)
    {
        if (actual != expected)
        {
            throw new IOException($"A ranged read of pack {pack} returned {actual} bytes instead of {expected}.");
        }
    }
}
