using System.Globalization;

namespace BuildFarm.Core.Runs;

/// <summary>
/// CodeBuild's two timeouts and their limits: the build timeout (how long a build may run) and the
/// queued timeout (how long it may wait for a worker). A pipeline version may set either; unset means the default.
/// </summary>
public static class BuildTimeouts
{
    public const int DefaultBuildMinutes = 60;
    public const int MinBuildMinutes = 5;
    public const int MaxBuildMinutes = 2160;

    public const int DefaultQueuedMinutes = 480;
    public const int MinQueuedMinutes = 5;
    public const int MaxQueuedMinutes = 480;

    /// <summary>Null when <paramref name="minutes"/> is unset or within CodeBuild's range, else the message for the field.</summary>
    public static string? CheckBuild(int? minutes) =>
        minutes is null or (>= MinBuildMinutes and <= MaxBuildMinutes)
            ? null
            : $"timeoutInMinutes must be between {MinBuildMinutes} and {MaxBuildMinutes} (CodeBuild's limits); got {minutes}.";

    /// <summary>Null when <paramref name="minutes"/> is unset or within CodeBuild's range, else the message for the field.</summary>
    public static string? CheckQueued(int? minutes) =>
        minutes is null or (>= MinQueuedMinutes and <= MaxQueuedMinutes)
            ? null
            : $"queuedTimeoutInMinutes must be between {MinQueuedMinutes} and {MaxQueuedMinutes} (CodeBuild's limits); got {minutes}.";

    /// <summary>"60 minutes", "1 minute", or seconds when a test shortened the minute.</summary>
    public static string Describe(TimeSpan timeout)
    {
        var seconds = (long)timeout.TotalSeconds;
        return seconds % 60 == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 60} minute{(seconds == 60 ? "" : "s")}")
            : string.Create(CultureInfo.InvariantCulture, $"{seconds} second{(seconds == 1 ? "" : "s")}");
    }
}
