using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace BuildFarm.Worker.Processes;

/// <summary>
/// The parts of starting a step that happen before there is a <see cref="StepProcess"/>: the script
/// file, the setsid command line, and waiting for the child to lead its own group.
/// </summary>
internal static class StepLauncher
{
    // setsid(2) runs within a millisecond of exec; this only stops a wedged machine hanging Start.
    private static readonly TimeSpan GroupLeaderTimeout = TimeSpan.FromSeconds(5);

    private static readonly string[] SetsidCandidates = ["/usr/bin/setsid", "/bin/setsid"];

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
        startInfo.ArgumentList.Add(info.Shell);
        startInfo.ArgumentList.Add(scriptPath);

        startInfo.Environment.Clear();
        foreach (var (name, value) in info.Environment)
        {
            startInfo.Environment[name] = value;
        }

        return startInfo;
    }

    internal static string FindSetsid()
    {
        foreach (var candidate in SetsidCandidates)
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("setsid(1) (util-linux) is required to give each step its own process group.", SetsidCandidates[0]);
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
}
