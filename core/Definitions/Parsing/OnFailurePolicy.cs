using System.Text.RegularExpressions;

namespace BuildFarm.Core.Definitions.Parsing;

/// <summary>
/// The values a phase's <c>on-failure</c> accepts: ABORT, CONTINUE, RETRY, RETRY-count, RETRY-regex and
/// RETRY-count-regex, where the regex is matched against the failed command's output.
/// </summary>
internal static class OnFailurePolicy
{
    private const string RetryPrefix = "RETRY-";

    /// <summary>Null when valid, otherwise why not.</summary>
    public static string? Check(string value)
    {
        if (value is "ABORT" or "CONTINUE" or "RETRY")
        {
            return null;
        }
        if (value == RetryPrefix)
        {
            return $"on-failure '{value}' needs a retry count or a regular expression after the dash.";
        }
        if (!value.StartsWith(RetryPrefix, StringComparison.Ordinal))
        {
            var upper = value.ToUpperInvariant();
            return upper != value && Check(upper) is null
                ? $"on-failure '{value}' must be upper case: '{upper}'."
                : $"on-failure '{value}' is not one of ABORT, CONTINUE, RETRY, RETRY-count, RETRY-regex, RETRY-count-regex.";
        }

        var rest = value.AsSpan(RetryPrefix.Length);
        var digits = 0;
        while (digits < rest.Length && char.IsAsciiDigit(rest[digits]))
        {
            digits++;
        }
        if (digits == rest.Length)
        {
            return null;
        }
        var pattern = digits > 0 && rest[digits] == '-' ? rest[(digits + 1)..] : rest;
        if (pattern.IsEmpty)
        {
            return $"on-failure '{value}' ends with '-' but has no regular expression after it.";
        }
        try
        {
            // Only compiled to check it; the worker matches it against output later.
            _ = new Regex(pattern.ToString(), RegexOptions.None, TimeSpan.FromSeconds(1));
            return null;
        }
        catch (ArgumentException ex)
        {
            return $"on-failure '{value}' has an invalid regular expression: {ex.Message}";
        }
    }
}
