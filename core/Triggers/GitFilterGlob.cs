using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace BuildFarm.Core.Triggers;

/// <summary>
/// CodePipeline's git filter globs: <c>*</c> any run of characters within a path segment, <c>**</c> across
/// segments (<c>a/**/b</c> also matches <c>a/b</c>), <c>?</c> one character but <c>/</c>, <c>[abc]</c> /
/// <c>[!abc]</c> sets, <c>{x,y}</c> alternatives and <c>\</c> to escape. Compiled to non-backtracking
/// regular expressions, so a hostile pattern cannot make matching slow.
/// </summary>
public static class GitFilterGlob
{
    /// <summary>Filters are few per pipeline; the bound only keeps a stream of odd patterns from growing memory.</summary>
    private const int MaxCached = 1024;

    private static readonly ConcurrentDictionary<string, Regex> Cache = new(StringComparer.Ordinal);

    public static bool IsMatch(string pattern, string value) => Compiled(pattern).IsMatch(value);

    /// <summary>Null when the pattern is well formed, else what is wrong with it.</summary>
    public static string? Validate(string pattern) =>
        pattern.Length == 0 ? "the pattern is empty" : Translate(pattern, out var error) is null ? error : null;

    private static Regex Compiled(string pattern)
    {
        if (Cache.TryGetValue(pattern, out var regex))
        {
            return regex;
        }
        // A malformed pattern matches nothing rather than throwing: the definition's validation reports it.
        var translated = (pattern.Length == 0 ? null : Translate(pattern, out _)) ?? "(?!)";
        regex = new Regex(translated, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
        if (Cache.Count >= MaxCached)
        {
            Cache.Clear();
        }
        Cache[pattern] = regex;
        return regex;
    }

    private static string? Translate(string pattern, out string? error)
    {
        error = null;
        var regex = new StringBuilder(@"\A", pattern.Length * 2 + 4);
        var braceDepth = 0;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*' when i + 1 < pattern.Length && pattern[i + 1] == '*':
                    i++;
                    if (i + 1 < pattern.Length && pattern[i + 1] == '/')
                    {
                        i++;
                        regex.Append("(?:.*/)?");
                    }
                    else
                    {
                        regex.Append(".*");
                    }
                    break;
                case '*':
                    regex.Append("[^/]*");
                    break;
                case '?':
                    regex.Append("[^/]");
                    break;
                case '\\':
                    if (++i == pattern.Length)
                    {
                        error = "it ends with a lone '\\'";
                        return null;
                    }
                    regex.Append(Regex.Escape(pattern[i].ToString()));
                    break;
                case '[':
                    var end = pattern.IndexOf(']', i + 1);
                    if (end < 0)
                    {
                        error = $"the '[' at position {i + 1} is never closed";
                        return null;
                    }
                    if (end == i + 1 || (end == i + 2 && pattern[i + 1] is '!' or '^'))
                    {
                        error = $"the set at position {i + 1} is empty";
                        return null;
                    }
                    AppendSet(regex, pattern.AsSpan(i + 1, end - i - 1));
                    i = end;
                    break;
                case '{':
                    braceDepth++;
                    regex.Append("(?:");
                    break;
                case ',' when braceDepth > 0:
                    regex.Append('|');
                    break;
                case '}' when braceDepth > 0:
                    braceDepth--;
                    regex.Append(')');
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }
        if (braceDepth > 0)
        {
            error = "a '{' is never closed";
            return null;
        }
        return regex.Append(@"\z").ToString();
    }

    private static void AppendSet(StringBuilder regex, ReadOnlySpan<char> set)
    {
        regex.Append('[');
        if (set.Length > 0 && set[0] is '!' or '^')
        {
            regex.Append('^');
            set = set[1..];
        }
        foreach (var c in set)
        {
            if (c is '\\' or '[' or ']' or '^')
            {
                regex.Append('\\');
            }
            regex.Append(c);
        }
        regex.Append(']');
    }
}
