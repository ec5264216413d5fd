using System.Diagnostics;

namespace BuildFarm.EndToEndTests.Chaos;

/// <summary>
/// Signals to a server process the scenario started (by its PID, never by name) and waiting for it to go.
/// PID 1 in this sandbox does not reap orphans, so a server that daemonised stays a zombie after it
/// exits: a zombie counts as gone.
/// </summary>
internal static class ProcessSignals
{
    public static void Signal(int pid, string signal, bool group = false)
    {
        using var kill = Process.Start("/bin/kill", ["-" + signal, "--", group ? $"-{pid}" : $"{pid}"]);
        kill.WaitForExit(ChaosSettings.ExitTimeout);
    }

    public static async Task<bool> WaitGoneAsync(int pid, TimeSpan limit, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (Directory.Exists($"/proc/{pid}") && !IsZombie(pid))
        {
            if (waited.Elapsed > limit)
            {
                return false;
            }

            await Task.Delay(ChaosSettings.PollInterval, cancellationToken);
        }

        return true;
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }
}
