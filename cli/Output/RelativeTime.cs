namespace BuildFarm.Cli.Output;

/// <summary>"3 min ago": what a person scanning a list needs, rather than a full timestamp.</summary>
public static class RelativeTime
{
    public static string Format(DateTimeOffset then, DateTimeOffset now)
    {
        var ago = now - then;
        return ago.TotalSeconds switch
        {
            < 5 => "just now",
            < 60 => $"{(int)ago.TotalSeconds} s ago",
            < 3600 => $"{(int)ago.TotalMinutes} min ago",
            < 86400 => $"{(int)ago.TotalHours} h ago",
            _ => $"{(int)ago.TotalDays} d ago",
        };
    }

    public static string Duration(TimeSpan span) => span.TotalSeconds switch
    {
        < 60 => $"{span.TotalSeconds:0.0}s",
        < 3600 => $"{(int)span.TotalMinutes}m{span.Seconds:00}s",
        _ => $"{(int)span.TotalHours}h{span.Minutes:00}m",
    };
}
