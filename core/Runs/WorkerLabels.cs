namespace BuildFarm.Core.Runs;

/// <summary>
/// The labels a pipeline's jobs need (e.g. <c>gpu</c>, <c>arch:arm64</c>): a job runs only on a worker that
/// advertises every one of them (Worker:Labels). Labels are compared exactly, case included.
/// </summary>
public static class WorkerLabels
{
    public const int MaxCount = 16;
    public const int MaxLength = 128;

    /// <summary>Why <paramref name="labels"/> cannot be required, or null when it can.</summary>
    public static string? Check(IReadOnlyList<string> labels)
    {
        if (labels.Count > MaxCount)
        {
            return $"at most {MaxCount} labels; got {labels.Count}.";
        }

        foreach (var label in labels)
        {
            if (label is null)
            {
                return "a label is null.";
            }

            if (label.Length is 0 or > MaxLength || label.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == ','))
            {
                return $"label '{label}' is invalid: use 1-{MaxLength} characters without spaces or commas.";
            }
        }

        return labels.Distinct(StringComparer.Ordinal).Count() == labels.Count ? null : "a label is listed twice.";
    }

    /// <summary>The labels of <paramref name="required"/> that <paramref name="advertised"/> lacks, in order.</summary>
    public static IReadOnlyList<string> Missing(IEnumerable<string> required, IEnumerable<string> advertised)
    {
        var have = advertised.ToHashSet(StringComparer.Ordinal);
        return required.Where(l => !have.Contains(l)).ToList();
    }

    /// <summary>"label gpu" or "labels gpu, linux", for messages.</summary>
    public static string Describe(IReadOnlyList<string> labels) =>
        (labels.Count == 1 ? "label " : "labels ") + string.Join(", ", labels);
}
