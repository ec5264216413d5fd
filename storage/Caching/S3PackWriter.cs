using System.Security.Cryptography;

namespace BuildFarm.Storage.Caching;

/// <summary>
/// Writes one pack: the pack object first, then its index, both named by the hash of the pack's
/// bytes. A pack counts only once its index is listed, so a reader never finds a blob in a pack
/// that is still being written; and two saves that build the same pack write the same bytes.
/// </summary>
internal static class S3PackWriter
{
    public static async Task WriteAsync(
        S3Objects objects, S3CacheLayout layout, S3PackIndex index, ReadOnlyMemory<byte> content, IReadOnlyList<S3PackMember> members, CancellationToken cancellationToken)
    {
        var pack = Convert.ToHexStringLower(SHA256.HashData(content.Span));
        await objects.PutAsync(layout.PackKey(pack), content, cancellationToken);
        await objects.PutAsync(layout.PackIndexKey(pack), S3PackIndexFile.Serialize(members), cancellationToken);
        index.Remember(pack, members);
    }
}
