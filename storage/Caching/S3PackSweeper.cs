namespace BuildFarm.Storage.Caching;

/// <summary>
/// The unreferenced-blob sweep on S3. A loose blob goes on its own. A pack goes whole when none of
/// its members is referenced; when only some are, the live ones are copied into a new pack first,
/// so the budget keeps counting what the store really holds. Only packs written before the grace
/// cutoff are touched, like loose blobs, because a save still in flight may not have published the
/// manifest that names their members yet. An index goes before its pack, so a reader never finds
/// a blob in a pack that is being deleted (a restore that listed just before gets a miss).
/// </summary>
internal sealed class S3PackSweeper(S3Objects objects, S3CacheLayout layout, S3PackIndex index)
{
    public async Task<int> SweepAsync(IReadOnlySet<string> referenced, DateTimeOffset writtenBefore, CancellationToken cancellationToken)
    {
        var deleted = 0;
        foreach (var blob in await objects.ListAsync(layout.BlobsPrefix, cancellationToken))
        {
            if (S3CacheLayout.HashOf(blob.Key) is { } hash && !referenced.Contains(hash) && S3Objects.WrittenAt(blob) < writtenBefore)
            {
                await objects.DeleteAsync(blob.Key, cancellationToken);
                deleted++;
            }
        }

        var snapshot = await index.RefreshAsync(cancellationToken);
        foreach (var pack in snapshot.Packs.Where(p => p.WrittenAt < writtenBefore))
        {
            var live = pack.Members.Where(m => referenced.Contains(m.Hash)).ToList();
            if (live.Count == pack.Members.Count)
            {
                continue;
            }

            if (live.Count > 0 && !await RepackAsync(pack, live, cancellationToken))
            {
                continue;
            }

            await objects.DeleteAsync(layout.PackIndexKey(pack.Hash), cancellationToken);
            await objects.DeleteAsync(layout.PackKey(pack.Hash), cancellationToken);
            deleted += pack.Members.Count - live.Count;
        }

        foreach (var (objectKey, writtenAt) in snapshot.Orphans)
        {
            if (writtenAt < writtenBefore)
            {
                await objects.DeleteAsync(objectKey, cancellationToken);
            }
        }

        return deleted;
    }

    /// <summary>Writes the live members into a new pack; false when the old pack is already gone (another sweep).</summary>
    private async Task<bool> RepackAsync(S3ListedPack pack, List<S3PackMember> live, CancellationToken cancellationToken)
    {
        if (await objects.GetIfExistsAsync(layout.PackKey(pack.Hash), cancellationToken) is not { } content)
        {
            return false;
        }

        // An index that points past its pack's end names nothing readable; those members are dropped.
        live = live.Where(m => m.Offset + m.Length <= content.Length).ToList();
        var repacked = new byte[live.Sum(m => (long)m.Length)];
        var members = new List<S3PackMember>(live.Count);
        var offset = 0;
        foreach (var member in live)
        {
            content.AsSpan((int)member.Offset, member.Length).CopyTo(repacked.AsSpan(offset));
            members.Add(member with { Offset = offset });
            offset += member.Length;
        }

        await S3PackWriter.WriteAsync(objects, layout, index, repacked, members, cancellationToken);
        return true;
    }
}
