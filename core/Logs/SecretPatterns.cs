using System.Buffers;
using System.Text;

namespace BuildFarm.Core.Logs;

/// <summary>
/// The byte patterns that give a job's secrets away: each value verbatim, percent-encoded and
/// base64-encoded (see <see cref="SecretEncodings"/>). Built once per job and shared, read-only,
/// by the <see cref="SecretMasker"/> of every stream.
/// </summary>
/// <remarks>
/// Values shorter than <see cref="MinimumSecretBytes"/> are ignored. Masking "ab" would star out
/// that pair of bytes everywhere, which ruins the log, and the pattern of the stars would tell a
/// reader the value anyway; a value that short can be guessed in a few thousand tries, so masking
/// it protects nothing. An empty value would match everywhere.
/// </remarks>
public sealed class SecretPatterns
{
    public const int MinimumSecretBytes = 3;

    // Sorted longest first, so the first pattern that matches at a position is the longest one.
    private readonly byte[][] _patterns;
    // The patterns as Latin-1 strings, one char per byte, for the runtime's multi-string search
    // (Teddy: vectorized, and its cost hardly grows with the number of patterns). Latin-1 maps each
    // of the 256 byte values to the char of the same number, so this is a widening, not a decoding:
    // no byte sequence is invalid, and a match on chars is exactly a match on bytes.
    private readonly SearchValues<string> _search;
    private readonly SearchValues<byte> _firstBytes;

    private SecretPatterns(byte[][] patterns)
    {
        _patterns = patterns;
        _search = SearchValues.Create(patterns.Select(p => Encoding.Latin1.GetString(p)).ToArray(), StringComparison.Ordinal);
        _firstBytes = SearchValues.Create(patterns.Select(p => p[0]).Distinct().ToArray());
        MaxLength = patterns.Length == 0 ? 0 : patterns[0].Length;
        MinLength = patterns.Length == 0 ? 0 : patterns[^1].Length;
    }

    /// <summary>No secrets: a masker with these passes every byte through unchanged.</summary>
    public static SecretPatterns None { get; } = new([]);

    public bool IsEmpty => _patterns.Length == 0;

    /// <summary>How many distinct byte patterns the secrets produced (each value gives several).</summary>
    public int Count => _patterns.Length;

    /// <summary>The longest pattern; a masker holds back at most one byte less than this.</summary>
    public int MaxLength { get; }

    public int MinLength { get; }

    /// <summary>Patterns for secret values given as text; each is masked as its UTF-8 bytes.</summary>
    public static SecretPatterns Create(IEnumerable<string?> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        return FromBytes(secrets.Where(s => !string.IsNullOrEmpty(s)).Select(s => Encoding.UTF8.GetBytes(s!)));
    }

    /// <summary>Patterns for secret values given as raw bytes.</summary>
    public static SecretPatterns FromBytes(IEnumerable<byte[]> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var patterns = new HashSet<byte[]>(ByteArrayComparer.Instance);
        foreach (var secret in secrets)
        {
            if (secret is null || secret.Length < MinimumSecretBytes)
            {
                continue;
            }

            patterns.UnionWith(SecretEncodings.Forms(secret));
        }

        return patterns.Count == 0 ? None : new SecretPatterns([.. patterns.OrderByDescending(p => p.Length)]);
    }

    /// <summary>
    /// The first position at or after <paramref name="from"/> where a whole pattern matches, and the
    /// length of the longest pattern matching there; -1 if none fits in <paramref name="data"/>.
    /// </summary>
    /// <param name="data">The bytes.</param>
    /// <param name="latin1">The same bytes widened to chars (Encoding.Latin1), which is what is searched.</param>
    /// <param name="from">Where to start.</param>
    /// <param name="length">The matched length, 0 when there is no match.</param>
    internal int IndexOfMatch(ReadOnlySpan<byte> data, ReadOnlySpan<char> latin1, int from, out int length)
    {
        var found = latin1[from..].IndexOfAny(_search);
        if (found < 0)
        {
            length = 0;
            return -1;
        }

        // The search reports some pattern that matches here; the longest one wins.
        var position = from + found;
        length = LongestAt(data[position..]);
        return position;
    }

    /// <summary>True when <paramref name="tail"/> is the start of a pattern longer than it, so more bytes could complete a match.</summary>
    internal bool IsIncompleteMatch(ReadOnlySpan<byte> tail)
    {
        if (tail.IsEmpty || !_firstBytes.Contains(tail[0]))
        {
            return false;
        }

        foreach (var pattern in _patterns)
        {
            if (pattern.Length <= tail.Length)
            {
                // Sorted longest first: no later pattern is longer than the tail either.
                return false;
            }

            if (pattern.AsSpan().StartsWith(tail))
            {
                return true;
            }
        }

        return false;
    }

    private int LongestAt(ReadOnlySpan<byte> rest)
    {
        foreach (var pattern in _patterns)
        {
            if (pattern.Length <= rest.Length && rest[0] == pattern[0] && rest.StartsWith(pattern))
            {
                return pattern.Length;
            }
        }

        return 0;
    }

    private sealed class ByteArrayComparer : IEqualityComparer<byte[]>
    {
        public static readonly ByteArrayComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj)
        {
            var hash = new HashCode();
            hash.AddBytes(obj);
            return hash.ToHashCode();
        }
    }
}
