using System.Globalization;
using System.Text;
using BuildFarm.Core.Caching;

namespace BuildFarm.Storage.Caching;

/// <summary>
/// A pack's index object: a header line, then "HASH OFFSET LENGTH" per member, in offset order.
/// Text, so a person can read a pack with curl; a wrong offset only costs a miss, because every
/// blob read from a pack is checked against its hash.
/// </summary>
internal static class S3PackIndexFile
{
    private const string Header = "bfpack 1";

    public static byte[] Serialize(IReadOnlyList<S3PackMember> members)
    {
        var text = new StringBuilder(Header.Length + 1 + (members.Count * 90));
        text.Append(Header).Append('\n');
        foreach (var member in members)
        {
            text.Append(CultureInfo.InvariantCulture, $"{member.Hash} {member.Offset} {member.Length}\n");
        }

        return Encoding.ASCII.GetBytes(text.ToString());
    }

    /// <summary>The members, or null for an index this version cannot read (the pack is then left unused).</summary>
    public static List<S3PackMember>? TryParse(byte[] content)
    {
        var lines = Encoding.ASCII.GetString(content).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0 || lines[0] != Header)
        {
            return null;
        }

        var members = new List<S3PackMember>(lines.Length - 1);
        long end = 0;
        foreach (var line in lines.AsSpan(1))
        {
            var parts = line.Split(' ');
            if (parts.Length != 3 || !CacheManifest.IsHash(parts[0])
                || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
                || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var length)
                || offset < end || length <= 0)
            {
                return null;
            }

            members.Add(new S3PackMember(parts[0], offset, length));
            end = offset + length;
        }

        return members;
    }
}
