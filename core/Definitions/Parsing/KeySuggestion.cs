namespace BuildFarm.Core.Definitions.Parsing;

/// <summary>"Did you mean": runs only on the error path, so it may compare against every known key.</summary>
internal static class KeySuggestion
{
    private const int MaxDistance = 2;

    public static string? Closest(string key, IReadOnlyList<string> known)
    {
        string? best = null;
        var bestDistance = MaxDistance + 1;
        foreach (var candidate in known)
        {
            if (Normalize(candidate) == Normalize(key))
            {
                return candidate;
            }
            var distance = Distance(key.ToLowerInvariant(), candidate);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }
        // Two edits turn any two short words into each other; demand a longer key before suggesting.
        return key.Length > MaxDistance + 1 ? best : null;
    }

    // pre-build, Pre_Build and "pre build" all mean pre_build.
    private static string Normalize(string key) =>
        key.Trim().ToLowerInvariant().Replace('-', '_').Replace(' ', '_');

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
