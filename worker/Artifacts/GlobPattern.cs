using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.RegularExpressions;

namespace BuildFarm.Worker.Artifacts;

/// <summary>
/// One <c>files</c> or <c>exclude-paths</c> entry, relative to the base directory, with CodeBuild's
/// wildcards: <c>*</c> and <c>?</c> stay inside one name, a <c>**</c> segment spans any number of
/// directories (none included), and <c>**</c> inside a name spans directories too.
/// </summary>
/// <remarks>
/// Microsoft.Extensions.FileSystemGlobbing is in the shared framework but knows no <c>?</c> and
/// hides how symlinks are walked, so this small matcher is ours. Patterns compile to
/// non-backtracking regular expressions: matching stays linear however many <c>**</c> a
/// buildspec strings together.
/// </remarks>
internal sealed class GlobPattern
{
    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.NonBacktracking;

    private readonly Regex? _regex;
    private readonly Regex? _everythingBelow;
    private readonly string[] _literalPrefix;

    private GlobPattern(string text, string[] segments)
    {
        Text = text;
        IsLiteral = segments.All(s => !HasWildcard(s));
        _literalPrefix = [.. segments.TakeWhile(s => !HasWildcard(s))];
        _regex = IsLiteral ? null : new Regex($@"\A{ToRegex(segments)}\z", Options);
        // "stem/**" and "stem/**/*" match every file below whatever the stem matches, which lets the
        // walker take or skip a whole directory without looking at each file in it.
        var stem = segments.Length switch
        {
            >= 2 when segments[^2] == "**" && segments[^1] == "*" => segments[..^2],
            >= 1 when segments[^1] == "**" => segments[..^1],
            _ => null,
        };
        if (stem is not null)
        {
            // The stem's match, or any directory below one.
            _everythingBelow = new Regex(stem.Length == 0 ? @"\A.*\z" : $@"\A{ToRegex(stem)}(?:/.*)?\z", Options);
        }
    }

    /// <summary>The pattern as normalised: no leading <c>./</c>, no trailing or doubled <c>/</c>; empty for the base directory itself.</summary>
    public string Text { get; }

    /// <summary>True when the pattern has no wildcard, so it names one path (a file, or a directory taken whole).</summary>
    public bool IsLiteral { get; }

    public static bool TryParse(string raw, [NotNullWhen(true)] out GlobPattern? pattern, out string error)
    {
        pattern = null;
        error = "";
        var text = Normalize(raw);
        if (text.StartsWith('/'))
        {
            error = $"artifact path '{raw}' is absolute; paths are relative to the base directory";
            return false;
        }

        var segments = text.Length == 0 ? [] : text.Split('/');
        if (segments.Contains(".."))
        {
            error = $"artifact path '{raw}' leaves the base directory";
            return false;
        }

        pattern = new GlobPattern(text, segments);
        return true;
    }

    /// <summary>Whether the pattern matches this path ('/'-separated, relative to the base directory).</summary>
    public bool IsMatch(string relativePath) =>
        _regex?.IsMatch(relativePath) ?? (Text.Length == 0 || string.Equals(Text, relativePath, StringComparison.Ordinal));

    /// <summary>Whether every path below this directory matches: "dir/**/*", "dir/**", or "dir" itself named literally.</summary>
    public bool MatchesEverythingBelow(string directory) =>
        (IsLiteral && (Text.Length == 0 || string.Equals(Text, directory, StringComparison.Ordinal)
            || directory.StartsWith(Text + "/", StringComparison.Ordinal)))
        || (_everythingBelow?.IsMatch(directory) ?? false);

    /// <summary>False only when no path below this directory can match, so the walker need not enter it.</summary>
    public bool MayMatchBelow(string directory)
    {
        if (IsLiteral)
        {
            return Text.Length == 0 || Text.StartsWith(directory + "/", StringComparison.Ordinal);
        }

        var segments = directory.Split('/');
        var common = Math.Min(segments.Length, _literalPrefix.Length);
        for (var i = 0; i < common; i++)
        {
            if (!string.Equals(segments[i], _literalPrefix[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        // Deeper than the literal prefix: the next pattern segment has a wildcard and may match anything here.
        return true;
    }

    internal static string Normalize(string raw)
    {
        var text = raw.Trim();
        while (text.Contains("//", StringComparison.Ordinal))
        {
            text = text.Replace("//", "/", StringComparison.Ordinal);
        }

        while (text.StartsWith("./", StringComparison.Ordinal))
        {
            text = text[2..];
        }

        if (text.EndsWith('/') && text.Length > 1)
        {
            text = text.TrimEnd('/');
        }

        return text == "." ? "" : text;
    }

    private static bool HasWildcard(string segment) => segment.AsSpan().IndexOfAny('*', '?') >= 0;

    /// <summary>The pattern as an unanchored regular expression.</summary>
    private static string ToRegex(string[] segments)
    {
        var regex = new StringBuilder();
        for (var i = 0; i < segments.Length; i++)
        {
            var last = i == segments.Length - 1;
            if (segments[i] == "**")
            {
                // Not last: zero or more whole directories, so "**/x" also matches a top-level "x".
                regex.Append(last ? ".*" : "(?:[^/]+/)*");
                continue;
            }

            AppendSegment(regex, segments[i]);
            if (!last)
            {
                regex.Append('/');
            }
        }

        return regex.ToString();
    }

    private static void AppendSegment(StringBuilder regex, string segment)
    {
        for (var i = 0; i < segment.Length; i++)
        {
            switch (segment[i])
            {
                case '*' when i + 1 < segment.Length && segment[i + 1] == '*':
                    // CodeBuild: "**" inside a name matches across directories.
                    regex.Append(".*");
                    while (i + 1 < segment.Length && segment[i + 1] == '*')
                    {
                        i++;
                    }

                    break;
                case '*':
                    regex.Append("[^/]*");
                    break;
                case '?':
                    regex.Append("[^/]");
                    break;
                default:
                    regex.Append(Regex.Escape(segment[i].ToString()));
                    break;
            }
        }
    }
}
