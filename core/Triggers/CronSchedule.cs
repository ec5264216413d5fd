using Cronos;

namespace BuildFarm.Core.Triggers;

/// <summary><c>triggers.schedule</c>: a standard 5-field cron expression, read in UTC.</summary>
public sealed class CronSchedule
{
    private readonly CronExpression _expression;

    private CronSchedule(string text, CronExpression expression)
    {
        Text = text;
        _expression = expression;
    }

    public string Text { get; }

    /// <summary>Null with <paramref name="error"/> set when the text is not five valid cron fields.</summary>
    public static CronSchedule? TryParse(string text, out string? error)
    {
        var fields = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
        {
            error = $"a schedule has 5 fields (minute hour day-of-month month day-of-week), found {fields.Length}";
            return null;
        }
        try
        {
            error = null;
            return new CronSchedule(text, CronExpression.Parse(string.Join(' ', fields), CronFormat.Standard));
        }
        catch (CronFormatException e)
        {
            // Cronos reports what is wrong only through the exception; its message names the field.
            error = e.Message;
            return null;
        }
    }

    /// <summary>The first slot strictly after <paramref name="after"/>, or null if there is none.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after) =>
        _expression.GetNextOccurrence(after.UtcDateTime, inclusive: false) is { } next
            ? new DateTimeOffset(next, TimeSpan.Zero)
            : null;

    public override string ToString() => Text;
}
