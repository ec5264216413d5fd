using System.Globalization;
using System.Text.RegularExpressions;

namespace BuildFarm.Worker.Jobs;

/// <summary>
/// A phase's <c>on-failure</c>, as CodeBuild defines it: ABORT, CONTINUE, RETRY (3 times), RETRY-n,
/// RETRY-regex (retry while the failing output matches), RETRY-n-regex. The parser has already
/// refused anything else, so this only interprets.
/// </summary>
public sealed record OnFailurePolicy(OnFailureAction Action, int MaxRetries, Regex? OutputPattern)
{
    public const int DefaultRetries = 3;

    /// <summary>No on-failure given: CodeBuild's default flow (a failed build still runs post_build).</summary>
    public static readonly OnFailurePolicy Default = new(OnFailureAction.Default, 0, null);

    public static OnFailurePolicy Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return Default;
        }

        if (text == "ABORT")
        {
            return new(OnFailureAction.Abort, 0, null);
        }

        if (text == "CONTINUE")
        {
            return new(OnFailureAction.Continue, 0, null);
        }

        if (text == "RETRY")
        {
            return new(OnFailureAction.Retry, DefaultRetries, null);
        }

        // RETRY-n, RETRY-regex or RETRY-n-regex: a leading all-digit part is the count.
        var rest = text["RETRY-".Length..];
        var dash = rest.IndexOf('-', StringComparison.Ordinal);
        var head = dash < 0 ? rest : rest[..dash];
        if (head.Length > 0 && head.All(char.IsAsciiDigit))
        {
            var count = int.Parse(head, CultureInfo.InvariantCulture);
            return new(OnFailureAction.Retry, count, dash < 0 ? null : Compile(rest[(dash + 1)..]));
        }

        return new(OnFailureAction.Retry, DefaultRetries, Compile(rest));
    }

    /// <summary>Whether a failed run of the phase, which printed <paramref name="output"/>, is retried.</summary>
    public bool ShouldRetry(int retriesSoFar, string output) =>
        Action == OnFailureAction.Retry
        && retriesSoFar < MaxRetries
        && (OutputPattern is null || OutputPattern.IsMatch(output));

    private static Regex Compile(string pattern) =>
        new(pattern, RegexOptions.Multiline | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
}
