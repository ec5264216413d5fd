using System.Security.Cryptography;

namespace BuildFarm.Storage.Caching;

/// <summary>
/// Writes one pack: the pack object first, then its index, both under a name no other writer uses.
/// A pack counts only once its index is listed, so a reader never finds a blob in a pack that is
/// still being written. The name is random rather than the hash of the bytes: racing saves of the
/// same files build the same pack, and s3rver writes a PUT into the object in place, so two PUTs of
/// one name at once can leave a torn pack or index (a restore then reads a bad member: a miss).
/// Every member is still verified by its own hash; a duplicate pack from such a race costs only space.
/// </summary>
internal static class S3PackWriter
{
    public static async Task WriteAsync(
        S3Objects objects, S3CacheLayout layout, S3PackIndex index, ReadOnlyMemory<byte> content, IReadOnlyList<S3PackMember> members, CancellationToken cancellationToken)
    {
        var pack = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        await objects.PutAsync(layout.PackKey(pack), content, cancellationToken);
        await objects.PutAsync(layout.PackIndexKey(pack), S3PackIndexFile.Serialize(members), cancellationToken);
        index.Remember(pack, members);
    }
}
