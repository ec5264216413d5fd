using System.Collections.Concurrent;

namespace BuildFarm.Storage.Caching;

/// <summary>
/// The store-wide view of the packs, from one LIST of <c>packs/</c> plus a GET of each index not
/// seen before: pack indexes never change (each pack's name is used once, by its one writer), so this
/// process keeps every one it has read and a refresh costs a listing and the new packs' indexes.
/// </summary>
internal sealed class S3PackIndex(S3Objects objects, S3CacheLayout layout)
{
    private const int IndexReadsInFlight = 8;

    private readonly ConcurrentDictionary<string, IReadOnlyList<S3PackMember>?> _members = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private S3PackSnapshot? _current;
    private long _currentStart;
    private long _started;

    /// <summary>The latest snapshot, or null before the first refresh.</summary>
    public S3PackSnapshot? Current => Volatile.Read(ref _current);

    /// <summary>A pack this process just wrote: its index need not be read back.</summary>
    public void Remember(string pack, IReadOnlyList<S3PackMember> members) => _members[pack] = members;

    /// <summary>A snapshot listed after this call began, so it has every pack completed before it.</summary>
    public async Task<S3PackSnapshot> RefreshAsync(CancellationToken cancellationToken)
    {
        var asked = Interlocked.Read(ref _started);
        await _refreshing.WaitAsync(cancellationToken);
        try
        {
            // Callers that queued behind a refresh begun after they asked share its result.
            if (_current is { } shared && _currentStart > asked)
            {
                return shared;
            }

            var start = Interlocked.Increment(ref _started);
            var snapshot = await ListAsync(cancellationToken);
            _currentStart = start;
            Volatile.Write(ref _current, snapshot);
            return snapshot;
        }
        finally
        {
            _refreshing.Release();
        }
    }

    private async Task<S3PackSnapshot> ListAsync(CancellationToken cancellationToken)
    {
        var listed = (await objects.ListAsync(layout.PacksPrefix, cancellationToken))
            .ToDictionary(o => o.Key[layout.PacksPrefix.Length..], StringComparer.Ordinal);
        var complete = listed.Keys
            .Where(name => S3CacheLayout.HashOf(name) is not null && listed.ContainsKey(name + S3CacheLayout.IndexSuffix))
            .ToList();
        await Parallel.ForEachAsync(
            complete.Where(pack => !_members.ContainsKey(pack)),
            new ParallelOptions { MaxDegreeOfParallelism = IndexReadsInFlight, CancellationToken = cancellationToken },
            async (pack, token) =>
            {
                var content = await objects.GetIfExistsAsync(layout.PackIndexKey(pack), token);
                _members[pack] = content is null ? null : S3PackIndexFile.TryParse(content);
            });
        foreach (var gone in _members.Keys.Where(pack => !listed.ContainsKey(pack)).ToList())
        {
            _members.TryRemove(gone, out _);
        }

        var located = new Dictionary<string, S3PackedBlob>(StringComparer.Ordinal);
        var packs = new List<S3ListedPack>(complete.Count);
        var usable = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pack in complete)
        {
            if (_members.GetValueOrDefault(pack) is not { } members)
            {
                continue;
            }

            usable.Add(pack);
            packs.Add(new S3ListedPack(pack, S3Objects.WrittenAt(listed[pack]), members));
            foreach (var member in members)
            {
                located.TryAdd(member.Hash, new S3PackedBlob(pack, member.Offset, member.Length));
            }
        }

        var orphans = listed
            .Where(o => !usable.Contains(o.Key.EndsWith(S3CacheLayout.IndexSuffix, StringComparison.Ordinal) ? o.Key[..^S3CacheLayout.IndexSuffix.Length] : o.Key))
            .Select(o => (o.Value.Key, S3Objects.WrittenAt(o.Value)))
            .ToList();
        return new S3PackSnapshot(located, packs, orphans);
    }
}
