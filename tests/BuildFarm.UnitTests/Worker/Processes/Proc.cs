using System.Globalization;

namespace BuildFarm.UnitTests.Worker.Processes;

/// <summary>What /proc says about a process, read independently of the code under test.</summary>
internal static class Proc
{
    /// <summary>Fields 3 (state), 5 (pgrp) and 6 (session) of /proc/PID/stat, or null if it is gone.</summary>
    public static (char State, int ProcessGroup, int Session)? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }

        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return (fields[0][0], int.Parse(fields[2], CultureInfo.InvariantCulture), int.Parse(fields[3], CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// True while the process can still run code. A zombie cannot: it is dead and only waits to be
    /// reaped, and in this sandbox PID 1 never reaps orphans, so killed grandchildren stay zombies.
    /// </summary>
    public static bool IsRunning(int pid) => Stat(pid) is { State: not ('Z' or 'X') };

    public static async Task<bool> AllStopWithinAsync(IEnumerable<int> pids, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (pids.Any(IsRunning))
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(10);
        }

        return true;
    }

    public static int[] Pids(IEnumerable<string> lines) =>
        lines.Select(line => int.Parse(line.Split(' ')[^1], CultureInfo.InvariantCulture)).ToArray();
}
