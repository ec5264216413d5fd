using System.Text;
using System.Text.RegularExpressions;

namespace BuildFarm.Worker.Jobs;

/// <summary>
/// Buildspec <c>env.exported-variables</c>: the command that prints their values as the build
/// left them, and the reader of what it printed. Values travel NUL-separated, so any text survives.
/// </summary>
public static partial class ExportedVariables
{
    /// <summary>Bytes the capture keeps; CodeBuild itself caps exported values far lower.</summary>
    public const int MaxCaptureBytes = 1024 * 1024;

    /// <summary>The names that can be shell variables (the others can never have a value).</summary>
    public static IReadOnlyList<string> Valid(IReadOnlyList<string> names) =>
        names.Where(n => ShellName().IsMatch(n)).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Prints <c>NAME\0VALUE\0</c> for each set variable; unset ones are left out.</summary>
    public static string Command(IReadOnlyList<string> names)
    {
        var command = new StringBuilder("for __bf_name in");
        foreach (var name in Valid(names))
        {
            command.Append(' ').Append(name);
        }

        command.Append("; do if [ -n \"${!__bf_name+set}\" ]; then builtin printf '%s\\0%s\\0' \"$__bf_name\" \"${!__bf_name}\"; fi; done");
        return command.ToString();
    }

    public static Dictionary<string, string> Parse(ReadOnlySpan<byte> printed)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var fields = Encoding.UTF8.GetString(printed).Split('\0');
        // The text ends with a NUL, so the last field is empty; a value cut by the cap is dropped whole.
        for (var i = 0; i + 2 < fields.Length; i += 2)
        {
            values[fields[i]] = fields[i + 1];
        }

        return values;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex ShellName();
}
