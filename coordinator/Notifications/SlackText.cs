using BuildFarm.Core.Notifications;

namespace BuildFarm.Coordinator.Notifications;

/// <summary>The one-line text of a Slack incoming-webhook body: "Deploy of corea-backend@abc1234 succeeded in 2m13s".</summary>
public static class SlackText
{
    public static string For(NotificationSubject subject, string pipeline, string? commit, TimeSpan? duration)
    {
        var what = subject.Stage is null ? "Run" : subject.Action ?? subject.Stage;
        var where = subject.Action is not null ? $" (stage {subject.Stage})" : "";
        var of = commit is { Length: > 0 } ? $"{pipeline}@{Short(commit)}" : pipeline;
        var text = subject.Event switch
        {
            NotificationEvent.ApprovalNeeded => $"Approval needed: {what} of {of}{where}",
            _ => $"{what} of {of}{where} {Outcome(subject.Event)}",
        };
        if (duration is { } elapsed && subject.Event is not (NotificationEvent.Started or NotificationEvent.ApprovalNeeded))
        {
            text += $" in {Duration(elapsed)}";
        }
        return subject.Reason is { Length: > 0 } reason && subject.Event != NotificationEvent.Succeeded
            ? $"{text}: {reason}"
            : text;
    }

    /// <summary>2m13s, 45s, 1h02m: how people read build times.</summary>
    public static string Duration(TimeSpan elapsed) => elapsed switch
    {
        { TotalHours: >= 1 } => $"{(int)elapsed.TotalHours}h{elapsed.Minutes:00}m",
        { TotalMinutes: >= 1 } => $"{(int)elapsed.TotalMinutes}m{elapsed.Seconds:00}s",
        _ => $"{Math.Max(0, (int)Math.Round(elapsed.TotalSeconds))}s",
    };

    private static string Short(string commit) => commit.Length > 7 ? commit[..7] : commit;

    private static string Outcome(NotificationEvent e) => e switch
    {
        NotificationEvent.Started => "started",
        NotificationEvent.Succeeded => "succeeded",
        NotificationEvent.Failed => "failed",
        NotificationEvent.Canceled => "was canceled",
        NotificationEvent.Superseded => "was superseded",
        _ => NotificationEvents.Name(e).ToLowerInvariant(),
    };
}
