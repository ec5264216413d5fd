using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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
    // The search filter: a position is a candidate when, for some pattern, its first two bytes are
    // there and its last byte is where the pattern would end (.NET's own IndexOf(span) checks first
    // and last; the second byte cuts the false candidates that common letters cause in plain text).
    // Patterns that share (first, second, last, length) share a filter entry.
    private readonly byte[] _filterFirst;
    private readonly byte[] _filterSecond;
    private readonly byte[] _filterLast;
    private readonly int[] _filterLastOffset;
    private readonly SearchValues<byte> _firstBytes;

    private SecretPatterns(byte[][] patterns)
    {
        _patterns = patterns;
        var filters = patterns.Select(p => (First: p[0], Second: p[1], Last: p[^1], Offset: p.Length - 1)).Distinct().ToArray();
        _filterFirst = filters.Select(f => f.First).ToArray();
        _filterSecond = filters.Select(f => f.Second).ToArray();
        _filterLast = filters.Select(f => f.Last).ToArray();
        _filterLastOffset = filters.Select(f => f.Offset).ToArray();
        _firstBytes = SearchValues.Create(_filterFirst.Distinct().ToArray());
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
    internal int IndexOfMatch(ReadOnlySpan<byte> data, int from, out int length)
    {
        ref var start = ref MemoryMarshal.GetReference(data);
        var position = from;
        // Vector loads reach position + width - 1 + the longest pattern's last offset: keep them inside the data.
        if (Vector256.IsHardwareAccelerated)
        {
            var vectorEnd = data.Length - MaxLength - Vector256<byte>.Count + 1;
            for (; position <= vectorEnd; position += Vector256<byte>.Count)
            {
                for (var hits = Filter256(ref start, position); hits != 0; hits &= hits - 1)
                {
                    var candidate = position + BitOperations.TrailingZeroCount(hits);
                    length = LongestAt(data[candidate..]);
                    if (length > 0)
                    {
                        return candidate;
                    }
                }
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            var vectorEnd = data.Length - MaxLength - Vector128<byte>.Count + 1;
            for (; position <= vectorEnd; position += Vector128<byte>.Count)
            {
                for (var hits = Filter128(ref start, position); hits != 0; hits &= hits - 1)
                {
                    var candidate = position + BitOperations.TrailingZeroCount(hits);
                    length = LongestAt(data[candidate..]);
                    if (length > 0)
                    {
                        return candidate;
                    }
                }
            }
        }

        // The last stretch (shorter than the longest pattern plus one vector), or no SIMD at all.
        var lastStart = data.Length - MinLength;
        while (position <= lastStart)
        {
            var next = data[position..(lastStart + 1)].IndexOfAny(_firstBytes);
            if (next < 0)
            {
                break;
            }

            position += next;
            length = LongestAt(data[position..]);
            if (length > 0)
            {
                return position;
            }

            position++;
        }

        length = 0;
        return -1;
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint Filter256(ref byte start, int position)
    {
        var firsts = Vector256.LoadUnsafe(ref start, (nuint)position);
        var seconds = Vector256.LoadUnsafe(ref start, (nuint)position + 1);
        var hits = Vector256<byte>.Zero;
        for (var i = 0; i < _filterFirst.Length; i++)
        {
            var lasts = Vector256.LoadUnsafe(ref start, (nuint)(position + _filterLastOffset[i]));
            hits |= Vector256.Equals(firsts, Vector256.Create(_filterFirst[i]))
                & Vector256.Equals(seconds, Vector256.Create(_filterSecond[i]))
                & Vector256.Equals(lasts, Vector256.Create(_filterLast[i]));
        }

        return hits.ExtractMostSignificantBits();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint Filter128(ref byte start, int position)
    {
        var firsts = Vector128.LoadUnsafe(ref start, (nuint)position);
        var seconds = Vector128.LoadUnsafe(ref start, (nuint)position + 1);
        var hits = Vector128<byte>.Zero;
        for (var i = 0; i < _filterFirst.Length; i++)
        {
            var lasts = Vector128.LoadUnsafe(ref start, (nuint)(position + _filterLastOffset[i]));
            hits |= Vector128.Equals(firsts, Vector128.Create(_filterFirst[i]))
                & Vector128.Equals(seconds, Vector128.Create(_filterSecond[i]))
                & Vector128.Equals(lasts, Vector128.Create(_filterLast[i]));
        }

        return hits.ExtractMostSignificantBits();
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
