namespace BuildFarm.Core.Triggers;

/// <summary>
/// Include and exclude glob lists, as in CodePipeline's git filters: a value passes when it matches an include
/// pattern (or there are none) and no exclude pattern. Exclusions win.
/// </summary>
public sealed record GitPatternFilter(IReadOnlyList<string> Include, IReadOnlyList<string> Exclude)
{
    /// <summary>CodePipeline's limit per include or exclude list.</summary>
    public const int MaxPatterns = 8;

    public static GitPatternFilter Empty { get; } = new([], []);

    public bool Matches(string value)
    {
        var included = Include.Count == 0;
        foreach (var pattern in Include)
        {
            if (GitFilterGlob.IsMatch(pattern, value))
            {
                included = true;
                break;
            }
        }
        if (!included)
        {
            return false;
        }
        foreach (var pattern in Exclude)
        {
            if (GitFilterGlob.IsMatch(pattern, value))
            {
                return false;
            }
        }
        return true;
    }

    public override string ToString() =>
        (Include.Count == 0 ? "any" : string.Join(", ", Include))
        + (Exclude.Count == 0 ? "" : $" except {string.Join(", ", Exclude)}");
}
