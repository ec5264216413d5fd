using System.Globalization;

namespace BuildFarm.Bench.Stats;

/// <summary>What Linux's /proc says about a process: CPU time (own, and of the children it has reaped) and RSS.</summary>
public static class ProcFs
{
    // /proc/PID/stat counts in USER_HZ, which the kernel fixes at 100 for user space whatever its own tick rate.
    private const double TicksPerSecond = 100;

    /// <summary>
    /// CPU seconds from /proc/PID/stat: the process's own user+system time, and its reaped children's (a worker's step
    /// processes; PostgreSQL's backends that ended). Zeros once the process is gone.
    /// </summary>
    public static (double Own, double Children) CpuSeconds(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Gone between listing and reading: it has nothing left to count.
            return (0, 0);
        }

        // The command name (field 2) may hold spaces and parentheses; every field after the last ')' is numeric.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // Fields 14–17 of stat (utime, stime, cutime, cstime) are 11–14 here, counted from field 3.
        double Field(int index) => long.Parse(fields[index], CultureInfo.InvariantCulture) / TicksPerSecond;
        return (Field(11) + Field(12), Field(13) + Field(14));
    }

    /// <summary>A size in bytes from /proc/PID/status (<c>VmRSS:</c> now, <c>VmHWM:</c> its peak); 0 once the process is gone.</summary>
    public static long Status(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }

        throw new InvalidOperationException($"/proc/{pid}/status has no {field} line.");
    }

    /// <summary>The live processes whose parent is <paramref name="pid"/> (PostgreSQL's backends and helpers).</summary>
    public static IReadOnlyList<int> Children(int pid)
    {
        var children = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var candidate)
                && ParentOf(candidate) == pid)
            {
                children.Add(candidate);
            }
        }

        return children;
    }

    private static int ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return -1;
        }
    }
}
