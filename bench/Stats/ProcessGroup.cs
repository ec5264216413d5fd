namespace BuildFarm.Bench.Stats;

/// <summary>
/// One line of the per-process figures: a process (with or without the children it reaps), or PostgreSQL's
/// postmaster with every backend, since a server's CPU is spread over the processes it forks.
/// </summary>
public sealed class ProcessGroup(string name, int pid, bool withLiveChildren)
{
    public string Name { get; } = name;

    public int Pid { get; } = pid;

    /// <summary>CPU seconds so far: own, and of children (reaped ones, plus live ones for a server that forks per client).</summary>
    public (double Own, double Children) CpuSeconds()
    {
        var (own, reaped) = ProcFs.CpuSeconds(Pid);
        if (!withLiveChildren)
        {
            return (own, reaped);
        }

        foreach (var child in ProcFs.Children(Pid))
        {
            var (childOwn, childReaped) = ProcFs.CpuSeconds(child);
            reaped += childOwn + childReaped;
        }

        return (own, reaped);
    }

    /// <summary>Peak RSS (VmHWM) of the process; with live children, their peaks added (shared memory then counts once per process).</summary>
    public long PeakRssBytes() =>
        ProcFs.Status(Pid, "VmHWM:") + (withLiveChildren ? ProcFs.Children(Pid).Sum(child => ProcFs.Status(child, "VmHWM:")) : 0);

    /// <summary>
    /// The services scripts/bench.sh started, from their state files in BUILDFARM_SERVICES_DIR: PostgreSQL's postmaster
    /// (with its backends) and RabbitMQ's beam process. None when run some other way.
    /// </summary>
    public static IEnumerable<ProcessGroup> Services()
    {
        if (Environment.GetEnvironmentVariable("BUILDFARM_SERVICES_DIR") is not { Length: > 0 } directory)
        {
            yield break;
        }

        if (StateValue(Path.Combine(directory, "postgres.state"), "PID") is { } postgres)
        {
            yield return new ProcessGroup("PostgreSQL (postmaster + backends)", postgres, withLiveChildren: true);
        }

        if (StateValue(Path.Combine(directory, "rabbitmq.state"), "BEAM") is { } rabbit)
        {
            yield return new ProcessGroup("RabbitMQ (beam)", rabbit, withLiveChildren: false);
        }
    }

    private static int? StateValue(string file, string key)
    {
        if (!File.Exists(file))
        {
            return null;
        }

        var line = File.ReadLines(file).LastOrDefault(l => l.StartsWith(key + "=", StringComparison.Ordinal));
        return line is not null && int.TryParse(line[(key.Length + 1)..], out var pid) ? pid : null;
    }
}
