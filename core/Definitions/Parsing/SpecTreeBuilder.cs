using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace BuildFarm.Core.Definitions.Parsing;

/// <summary>
/// Builds a <see cref="SpecNode"/> tree from YamlDotNet's parser events, iteratively and with bounds, and
/// reports what YAML itself gets wrong: syntax, duplicate keys, non-string keys, unknown aliases.
/// </summary>
internal static class SpecTreeBuilder
{
    /// <summary>
    /// A buildspec nests six levels at most; the bound also stops YamlDotNet's scanner early, whose cost
    /// grows with the number of open flow collections (<c>[[[[…</c> would take minutes).
    /// </summary>
    public const int MaxDepth = 32;

    /// <summary>Nodes reachable through aliases in total: a "billion laughs" file stops here.</summary>
    public const int MaxAliasExpansion = 100_000;

    /// <summary>
    /// Returns false when the YAML cannot be read at all (the reason is already in <paramref name="context"/>).
    /// True with a null <paramref name="root"/> means the file holds no document.
    /// </summary>
    public static bool TryBuild(string text, ParseContext context, out SpecNode? root)
    {
        root = null;
        var frames = new List<Frame>(8);
        Dictionary<string, SpecNode>? anchors = null;
        var documents = 0;
        var aliasNodes = 0;
        var last = Mark.Empty;
        var parser = new Parser(new StringReader(text));
        try
        {
            while (parser.MoveNext())
            {
                var current = parser.Current!;
                last = current.Start;
                SpecNode? complete = null;
                string? anchor = null;
                switch (current)
                {
                    case DocumentStart:
                        if (++documents == 1)
                        {
                            continue;
                        }
                        context.Error(Line(current.Start), Column(current.Start), "",
                            "A buildspec is a single YAML document; this second document ('---') is not read.");
                        return true;
                    case Scalar scalar:
                        complete = new SpecScalar(Line(scalar.Start), Column(scalar.Start), scalar.Value, scalar.Style);
                        anchor = scalar.Anchor.IsEmpty ? null : scalar.Anchor.Value;
                        break;
                    case SequenceStart start:
                        if (!Push(frames, new SpecSequence(Line(start.Start), Column(start.Start)), start.Anchor, context))
                        {
                            return false;
                        }
                        continue;
                    case MappingStart start:
                        if (!Push(frames, new SpecMapping(Line(start.Start), Column(start.Start)), start.Anchor, context))
                        {
                            return false;
                        }
                        continue;
                    case SequenceEnd or MappingEnd:
                        var done = frames[^1];
                        frames.RemoveAt(frames.Count - 1);
                        complete = done.Node;
                        anchor = done.Anchor;
                        break;
                    case AnchorAlias alias:
                        if (anchors is null || !anchors.TryGetValue(alias.Value.Value, out complete))
                        {
                            // Fatal like a syntax error: guessing a value would only breed follow-on errors.
                            context.Error(Line(alias.Start), Column(alias.Start), PathOf(frames, null),
                                $"Invalid YAML: the alias '*{alias.Value.Value}' has no anchor '&{alias.Value.Value}' before it.");
                            return false;
                        }
                        if ((aliasNodes += complete.Size) > MaxAliasExpansion)
                        {
                            context.Error(Line(alias.Start), Column(alias.Start), PathOf(frames, null),
                                $"Aliases expand to more than {MaxAliasExpansion} nodes; the file is not read further.");
                            return false;
                        }
                        break;
                    default:
                        continue;
                }

                if (anchor is not null)
                {
                    // Registered only once the node is complete, so an alias can never point into its own
                    // anchor's node and the tree stays acyclic.
                    (anchors ??= new(StringComparer.Ordinal))[anchor] = complete;
                }
                if (frames.Count == 0)
                {
                    root ??= complete;
                }
                else
                {
                    Attach(frames, complete, context);
                }
            }
            return true;
        }
        catch (YamlException ex)
        {
            var (line, column) = ex.Start.Line > 0 ? (Line(ex.Start), Column(ex.Start)) : (Line(last), Column(last));
            if (ex.Message.Contains("tab", StringComparison.Ordinal))
            {
                // YamlDotNet places tab errors at the enclosing mapping; the tab itself is what to fix.
                (line, column) = FindIndentationTab(text) ?? (line, column);
            }
            context.Error(line, column, PathOf(frames, null), $"Invalid YAML: {ex.Message}");
            return false;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this, not a YamlException, on some unterminated flow collections
            // ("a: [1, 2" then a new key). The last event read is the closest position we have.
            context.Error(Line(last), Column(last), PathOf(frames, null),
                "Invalid YAML: the file cannot be read past this point; look for an unclosed '[', '{' or quote.");
            return false;
        }
    }

    private static bool Push(List<Frame> frames, SpecNode node, AnchorName anchor, ParseContext context)
    {
        if (frames.Count >= MaxDepth)
        {
            context.Error(node.Line, node.Column, PathOf(frames, null),
                $"YAML nested deeper than {MaxDepth} levels; a buildspec needs far fewer, so the file is not read further.");
            return false;
        }
        frames.Add(new Frame(node, anchor.IsEmpty ? null : anchor.Value));
        return true;
    }

    private static void Attach(List<Frame> frames, SpecNode node, ParseContext context)
    {
        var parent = frames[^1];
        if (parent.Node is SpecSequence sequence)
        {
            sequence.Add(node);
            return;
        }

        var mapping = (SpecMapping)parent.Node;
        if (!parent.ExpectingValue)
        {
            parent.ExpectingValue = true;
            parent.PendingKey = null;
            if (node is not SpecScalar key)
            {
                context.Error(node.Line, node.Column, PathOf(frames, null),
                    $"A key must be a string, not {node.Describe()}; this entry is ignored.");
                return;
            }
            var firstLine = parent.FirstLineOf(key.Value);
            if (firstLine > 0)
            {
                context.Error(key.Line, key.Column, PathOf(frames, key.Value),
                    $"Duplicate key '{key.Value}'; it is already defined on line {firstLine}. The first one is kept.");
                return;
            }
            parent.PendingKey = key;
            return;
        }

        parent.ExpectingValue = false;
        if (parent.PendingKey is { } pending)
        {
            mapping.Add(pending, node);
            parent.Remember(pending);
        }
    }

    /// <summary>The dotted path to where the parser is, e.g. <c>phases.build.commands[2]</c>; built only for diagnostics.</summary>
    private static string PathOf(List<Frame> frames, string? childKey)
    {
        var path = new StringBuilder();
        foreach (var frame in frames)
        {
            if (frame.Node is SpecSequence sequence)
            {
                path.Append('[').Append(sequence.Items.Count).Append(']');
            }
            else if (frame.ExpectingValue && frame.PendingKey is { } key)
            {
                AppendKey(path, key.Value);
            }
        }
        if (childKey is not null)
        {
            AppendKey(path, childKey);
        }
        return path.ToString();

        static void AppendKey(StringBuilder path, string key)
        {
            if (path.Length > 0)
            {
                path.Append('.');
            }
            path.Append(key);
        }
    }

    private static (int Line, int Column)? FindIndentationTab(string text)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n')
            {
                line++;
                lineStart = i + 1;
            }
            else if (c == '\t' && text.AsSpan(lineStart, i - lineStart).Trim(' ').IsEmpty)
            {
                return (line, i - lineStart + 1);
            }
        }
        return null;
    }

    private static int Line(Mark mark) => (int)Math.Min(mark.Line, int.MaxValue);

    private static int Column(Mark mark) => (int)Math.Min(mark.Column, int.MaxValue);

    private sealed class Frame(SpecNode node, string? anchor)
    {
        // Past this many keys a set beats scanning the entries for duplicates.
        private const int LinearScanLimit = 16;
        private Dictionary<string, int>? _keyLines;

        public SpecNode Node { get; } = node;

        public string? Anchor { get; } = anchor;

        public bool ExpectingValue { get; set; }

        public SpecScalar? PendingKey { get; set; }

        public int FirstLineOf(string key)
        {
            if (_keyLines is not null)
            {
                return _keyLines.GetValueOrDefault(key);
            }
            foreach (var entry in ((SpecMapping)Node).Entries)
            {
                if (entry.Key.Value == key)
                {
                    return entry.Key.Line;
                }
            }
            return 0;
        }

        public void Remember(SpecScalar key)
        {
            var entries = ((SpecMapping)Node).Entries;
            if (_keyLines is null && entries.Count > LinearScanLimit)
            {
                _keyLines = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (var entry in entries)
                {
                    _keyLines.TryAdd(entry.Key.Value, entry.Key.Line);
                }
            }
            _keyLines?.TryAdd(key.Value, key.Line);
        }
    }
}
