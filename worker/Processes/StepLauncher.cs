using System.Diagnostics;
using System.Globalization;
using System.IO.Pipes;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace BuildFarm.Worker.Processes;

/// <summary>
/// The parts of starting a step that happen before there is a <see cref="StepProcess"/>: the script
/// file, the setsid command line, and waiting for the child to lead its own group.
/// </summary>
internal static class StepLauncher
{
    // setsid(2) runs within a millisecond of exec; this only stops a wedged machine hanging Start.
    private static readonly TimeSpan GroupLeaderTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The pipe size asked for a step's stdout and stderr: Linux's cap for unprivileged users by default.</summary>
    internal const int PipeBytes = 1024 * 1024;

    // F_SETPIPE_SZ and F_GETPIPE_SZ from <linux/fcntl.h>.
    private const int SetPipeSize = 1031;
    private const int GetPipeSize = 1032;

    // FIONREAD from <asm-generic/ioctls.h> (x86-64 and arm64 alike).
    private const nuint BytesToRead = 0x541B;

    private static readonly string[] SetsidCandidates = ["/usr/bin/setsid", "/bin/setsid"];

    private static readonly string[] SetprivCandidates = ["/usr/bin/setpriv", "/bin/setpriv"];

    internal static string WriteScript(StepProcessStartInfo info)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("Steps run on Linux only: they need setsid(1), process groups and /proc.");
        }

        var directory = info.ScriptDirectory ?? Path.GetTempPath();
        var path = Path.Combine(directory, $"buildfarm-step-{Guid.NewGuid():N}.sh");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            // The shell reads it as an argument, so it needs no execute bit, and nobody else needs it.
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        using var file = new FileStream(path, options);
        var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetBytes(info.Script);
        file.Write(bytes);
        if (info.User is { } user && Chown(path, user.Uid, user.Gid) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            file.Dispose();
            File.Delete(path);
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture, $"Cannot hand the step's script to user {user.Name} (chown failed, errno {errno}); run-as needs the worker to run as root."));
        }

        return path;
    }

    internal static ProcessStartInfo CreateStartInfo(StepProcessStartInfo info, string scriptPath)
    {
        var startInfo = new ProcessStartInfo(FindSetsid())
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = info.WorkingDirectory,
        };
        startInfo.ArgumentList.Add("--");
        if (info.User is { } user)
        {
            // setpriv execs in place (su and runuser fork, and su -c even starts its own session),
            // so the shell stays the process that leads the group and a kill reaches everything.
            startInfo.ArgumentList.Add(Find(SetprivCandidates, "setpriv(1) (util-linux) is required to run steps as another user (run-as)."));
            startInfo.ArgumentList.Add(string.Create(CultureInfo.InvariantCulture, $"--reuid={user.Uid}"));
            startInfo.ArgumentList.Add(string.Create(CultureInfo.InvariantCulture, $"--regid={user.Gid}"));
            startInfo.ArgumentList.Add("--init-groups");
            startInfo.ArgumentList.Add("--");
        }

        startInfo.ArgumentList.Add(info.Shell);
        startInfo.ArgumentList.Add(scriptPath);

        startInfo.Environment.Clear();
        foreach (var (name, value) in info.Environment)
        {
            startInfo.Environment[name] = value;
        }

        return startInfo;
    }

    internal static string FindSetsid() =>
        Find(SetsidCandidates, "setsid(1) (util-linux) is required to give each step its own process group.");

    private static string Find(string[] candidates, string message)
    {
        foreach (var candidate in candidates)
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException(message, candidates[0]);
    }

    internal static void WaitUntilGroupLeader(Process process)
    {
        // Process.Start returns after setsid has been exec'd, but setsid(2) runs a moment later.
        // Until then the child is in the worker's own group and kill(-pid) would find nothing.
        // A Stopwatch, not the injected clock: this guards a kernel-level race, not a policy timeout.
        var started = Stopwatch.GetTimestamp();
        var spinner = default(SpinWait);
        while (ProcessTree.GetProcessGroupId(process.Id) is var group && group != process.Id)
        {
            if (group == -1 || process.HasExited)
            {
                return;
            }

            if (Stopwatch.GetElapsedTime(started) > GroupLeaderTimeout)
            {
                throw new InvalidOperationException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"Process {process.Id} did not become a process group leader within {GroupLeaderTimeout.TotalSeconds}s."));
            }

            spinner.SpinOnce();
        }
    }

    /// <summary>
    /// Grows the pipe behind <paramref name="stream"/> (the step's stdout or stderr) to
    /// <see cref="PipeBytes"/>. With the kernel's default 64 KiB a step printing at full speed stops
    /// every 64 KiB until the worker has read, so each 64 KiB costs a sleep and a wake-up on both
    /// sides; 1 MiB lets it run on while the worker handles the last read. Best effort: a kernel
    /// capped lower (pipe-max-size, or the user's pipe pages used up) keeps the default, which is
    /// only slower.
    /// </summary>
    /// <returns>Whether the pipe now holds <see cref="PipeBytes"/>.</returns>
    internal static bool WidenPipe(Stream stream) =>
        stream is PipeStream pipe && Fcntl(pipe.SafePipeHandle, SetPipeSize, PipeBytes) >= PipeBytes;

    /// <summary>Bytes waiting in <paramref name="pipe"/> (FIONREAD); 0 when none or when it cannot tell.</summary>
    internal static int BytesAvailable(PipeStream pipe) =>
        Ioctl(pipe.SafePipeHandle, BytesToRead, out var count) == 0 ? count : 0;

    /// <summary>The size of the pipe behind <paramref name="stream"/>, or -1 if it is not one.</summary>
    internal static int PipeSize(Stream stream) =>
        stream is PipeStream pipe ? Fcntl(pipe.SafePipeHandle, GetPipeSize, 0) : -1;

    internal static void KillIfStarted(Process process)
    {
        try
        {
            process.Kill();
        }
        catch (InvalidOperationException)
        {
            // Never started, or already exited: nothing to kill.
        }
    }

    // DllImport, as below; fcntl is variadic, but with int arguments the call is the same as a fixed one.
    [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static extern int Fcntl(SafePipeHandle fd, int command, int argument);

    [DllImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static extern int Ioctl(SafePipeHandle fd, nuint request, out int count);

    // DllImport with an explicit UTF-8 string: LibraryImport needs AllowUnsafeBlocks, which the worker does not set.
    [DllImport("libc", EntryPoint = "chown", SetLastError = true)]
    private static extern int Chown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int owner, int group);
}
