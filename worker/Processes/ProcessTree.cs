using System.ComponentModel;
using System.Globalization;
using System.Runtime.InteropServices;

namespace BuildFarm.Worker.Processes;

/// <summary>
/// Signals whole process groups. A step runs as the leader of its own group, so its process group id
/// equals the shell's process id, and signalling the group reaches every process the step started
/// (unless one of them deliberately left the group with setsid/setpgid).
/// </summary>
public static class ProcessTree
{
    private const int Esrch = 3;
    private const int Eperm = 1;

    /// <summary>
    /// Sends <paramref name="signal"/> to every process in the group.
    /// </summary>
    /// <returns><see langword="true"/> if the group existed; <see langword="false"/> if it was already gone.</returns>
    /// <exception cref="Win32Exception">kill(2) failed for another reason, e.g. EPERM on every member.</exception>
    public static bool SignalGroup(int processGroupId, ProcessSignal signal)
    {
        EnsureSafeTarget(processGroupId);
        if (Kill(-processGroupId, (int)signal) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        // ESRCH is not a failure: the last member exited (or was reaped) between our decision to
        // signal and the signal itself. That race is normal at the end of every step, and "nothing
        // left to signal" is exactly the outcome the caller wanted.
        if (errno == Esrch)
        {
            return false;
        }

        throw new Win32Exception(errno, string.Create(CultureInfo.InvariantCulture, $"kill(-{processGroupId}, {signal}) failed"));
    }

    /// <summary>
    /// Whether any process (zombies included) is still in the group: kill(-pgid, 0).
    /// </summary>
    public static bool IsGroupAlive(int processGroupId)
    {
        EnsureSafeTarget(processGroupId);
        if (Kill(-processGroupId, 0) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        // EPERM means the group exists but every member belongs to another user (a step ran sudo):
        // it is alive even though we may not signal it.
        return errno switch
        {
            Esrch => false,
            Eperm => true,
            _ => throw new Win32Exception(errno, string.Create(CultureInfo.InvariantCulture, $"kill(-{processGroupId}, 0) failed")),
        };
    }

    /// <summary>
    /// Whether the group has a member that is not a zombie, by scanning /proc.
    /// </summary>
    /// <remarks>
    /// <see cref="IsGroupAlive"/> also counts zombies. When PID 1 does not reap orphans (a container
    /// started without an init, or this test sandbox) the killed grandchildren of a step stay zombies
    /// forever, and a wait for "group gone" would always run to its deadline. Zombies run no code and
    /// hold no pipes, so for "has the step stopped?" they count as gone.
    /// </remarks>
    public static bool HasRunningMembers(int processGroupId)
    {
        EnsureSafeTarget(processGroupId);
        if (!IsGroupAlive(processGroupId))
        {
            return false;
        }

        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(directory.AsSpan());
            if (name.IsEmpty || !char.IsAsciiDigit(name[0]))
            {
                continue;
            }

            if (ProcStat.TryRead(directory, out var stat) && stat.ProcessGroupId == processGroupId && !stat.IsZombie)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The process group of <paramref name="processId"/>, or -1 if there is no such process.
    /// </summary>
    internal static int GetProcessGroupId(int processId)
    {
        var result = GetPgid(processId);
        if (result >= 0)
        {
            return result;
        }

        var errno = Marshal.GetLastPInvokeError();
        // ESRCH: the process is gone (and reaped), which callers treat as "not our group".
        if (errno == Esrch)
        {
            return -1;
        }

        throw new Win32Exception(errno, string.Create(CultureInfo.InvariantCulture, $"getpgid({processId}) failed"));
    }

    private static void EnsureSafeTarget(int processGroupId)
    {
        // kill(0, …) signals our own group and kill(-1, …) every process we may signal: a zero or
        // one here is a bug upstream, and it must not take the worker (or the machine) down with it.
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(processGroupId, 1);
        if (processGroupId == GetPgrp())
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Process group {processGroupId} is the worker's own group."));
        }
    }

    // "libc" is mapped by the runtime to the platform's C library (libc.so.6 on glibc).
    // DllImport rather than LibraryImport: the generated LibraryImport stubs need
    // <AllowUnsafeBlocks>, which BuildFarm.Worker.csproj does not set. With only ints in the
    // signature there is no marshalling either way, and SetLastError behaves the same.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [DllImport("libc", EntryPoint = "getpgid", SetLastError = true)]
    private static extern int GetPgid(int pid);

    [DllImport("libc", EntryPoint = "getpgrp")]
    private static extern int GetPgrp();
}
