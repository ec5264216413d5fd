using System.Globalization;

namespace BuildFarm.Worker.Processes;

/// <summary>
/// The few fields of /proc/PID/stat the worker needs.
/// </summary>
internal readonly record struct ProcStat(int ProcessId, char State, int ParentProcessId, int ProcessGroupId, int SessionId)
{
    public bool IsZombie => State is 'Z' or 'X';

    /// <summary>Reads /proc/<paramref name="processDirectory"/>/stat; false if the process is gone.</summary>
    public static bool TryRead(string processDirectory, out ProcStat stat)
    {
        stat = default;
        string text;
        try
        {
            text = File.ReadAllText(Path.Combine(processDirectory, "stat"));
        }
        catch (IOException)
        {
            // The process exited between listing /proc and reading it: it is simply not there.
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            // hidepid=2 mounts hide other users' processes; those cannot be in a step's group anyway.
            return false;
        }

        return TryParse(text, out stat);
    }

    public static bool TryParse(string text, out ProcStat stat)
    {
        stat = default;
        // comm (field 2) is in parentheses and may itself contain spaces and ')', so the fixed
        // fields start after the LAST ')'.
        var close = text.LastIndexOf(')');
        var open = text.IndexOf('(', StringComparison.Ordinal);
        if (open <= 0 || close < open || close + 2 >= text.Length)
        {
            return false;
        }

        var fields = text[(close + 2)..].Split(' ', 5);
        if (fields.Length < 4
            || fields[0].Length != 1
            || !int.TryParse(text.AsSpan(0, open).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            || !int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ppid)
            || !int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var pgrp)
            || !int.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var session))
        {
            return false;
        }

        stat = new ProcStat(pid, fields[0][0], ppid, pgrp, session);
        return true;
    }
}
