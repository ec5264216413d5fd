using System.Buffers;
using System.Text;

namespace BuildFarm.Core.Logs;

/// <summary>
/// Replaces every occurrence of a secret pattern in one byte stream with <c>***</c>, also when
/// an occurrence is split across writes. One instance per stream (stdout and stderr interleave);
/// not thread-safe.
/// </summary>
/// <remarks>
/// <para>Bytes in, bytes out: nothing is decoded, so invalid UTF-8, ANSI escapes and binary output
/// pass through unchanged, and output with no secret in it comes out byte for byte.</para>
/// <para>Like the Buildkite agent's replacer, it holds back only a tail of a write that is the
/// start of some pattern (at most <see cref="SecretPatterns.MaxLength"/> − 1 bytes), so ordinary
/// output is never delayed, and <see cref="Flush"/> releases that tail at the end of the stream.
/// Occurrences are replaced leftmost first and, where patterns overlap, longest first; a match is
/// committed only when no longer pattern could still complete at the same place, so the result
/// does not depend on how the stream was split into writes.</para>
/// </remarks>
public sealed class SecretMasker
{
    private static readonly byte[] Mask = "***"u8.ToArray();

    private readonly SecretPatterns _patterns;
    private readonly byte[] _held;
    private int _heldCount;
    private byte[] _joined = [];
    private char[] _latin1 = [];

    public SecretMasker(SecretPatterns patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        _patterns = patterns;
        _held = new byte[Math.Max(0, patterns.MaxLength - 1)];
    }

    /// <summary>Bytes written but not yet released because they may be the start of a secret.</summary>
    public int HeldBytes => _heldCount;

    /// <summary>How many occurrences were replaced so far.</summary>
    public long Replacements { get; private set; }

    /// <summary>Masks <paramref name="input"/> and appends the result to <paramref name="output"/>; may keep a short tail back.</summary>
    public void Write(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_patterns.IsEmpty)
        {
            output.Write(input);
            return;
        }

        if (_heldCount == 0)
        {
            Hold(input[Process(input, output, final: false)..]);
            return;
        }

        // Only here can a match straddle two writes: join the held tail and the new bytes. The tail
        // is short and rarely there at all, so copying the write behind it is cheap.
        var total = _heldCount + input.Length;
        if (_joined.Length < total)
        {
            _joined = new byte[Math.Max(total, _joined.Length * 2)];
        }

        _held.AsSpan(0, _heldCount).CopyTo(_joined);
        input.CopyTo(_joined.AsSpan(_heldCount));
        var joined = _joined.AsSpan(0, total);
        Hold(joined[Process(joined, output, final: false)..]);
    }

    /// <summary>The end of the stream: masks and releases whatever is held back.</summary>
    public void Flush(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_heldCount == 0)
        {
            return;
        }

        // A final pass holds nothing back: there are no more bytes to complete a match.
        Process(_held.AsSpan(0, _heldCount), output, final: true);
        _heldCount = 0;
    }

    /// <summary>Writes the masked form of <paramref name="data"/> up to the returned index; the rest must be held.</summary>
    private int Process(ReadOnlySpan<byte> data, IBufferWriter<byte> output, bool final)
    {
        // A pattern that starts before this point would fit entirely, so only from here on can
        // a match still be incomplete.
        var tailStart = final ? data.Length : Math.Max(0, data.Length - (_patterns.MaxLength - 1));
        var checkedUpTo = tailStart;
        var position = 0;
        if (_latin1.Length < data.Length)
        {
            _latin1 = new char[Math.Max(data.Length, _latin1.Length * 2)];
        }

        var latin1 = _latin1.AsSpan(0, Encoding.Latin1.GetChars(data, _latin1));
        while (true)
        {
            var match = _patterns.IndexOfMatch(data, latin1, position, out var length);

            // An incomplete match at or before the next whole one wins: it starts earlier, or at the
            // same place and is longer. Hold from there and decide when more bytes arrive.
            var lastToCheck = match < 0 ? data.Length - 1 : match;
            for (var at = Math.Max(position, checkedUpTo); at <= lastToCheck; at++)
            {
                if (_patterns.IsIncompleteMatch(data[at..]))
                {
                    output.Write(data[position..at]);
                    return at;
                }
            }

            checkedUpTo = Math.Max(checkedUpTo, lastToCheck + 1);
            if (match < 0)
            {
                output.Write(data[position..]);
                return data.Length;
            }

            output.Write(data[position..match]);
            output.Write(Mask);
            Replacements++;
            position = match + length;
        }
    }

    private void Hold(ReadOnlySpan<byte> tail)
    {
        tail.CopyTo(_held);
        _heldCount = tail.Length;
    }
}
