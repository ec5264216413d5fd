using System.Diagnostics;

namespace BuildFarm.Bench.Farms;

/// <summary>A worker started as its own process (dotnet BuildFarm.Worker.dll), so its CPU and memory are its own, not the bench's.</summary>
public static class WorkerProcess
{
    /// <summary>Starts a worker configured by <paramref name="environment"/> alone (<c>Section__Key</c> names); its stderr goes to the bench's.</summary>
    public static Process Start(IReadOnlyDictionary<string, string> environment)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "BuildFarm.Worker.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            // A directory without an appsettings.json: every setting comes from the environment below.
            WorkingDirectory = Directory.CreateTempSubdirectory("bf-bench-worker-").FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The worker process did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 })
            {
                Console.Error.WriteLine($"worker: {e.Data}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Kills the worker (and its steps) if it still runs, and waits for it.</summary>
    public static async Task StopAsync(Process worker)
    {
        if (!worker.HasExited)
        {
            worker.Kill(entireProcessTree: true);
            await worker.WaitForExitAsync(CancellationToken.None);
        }
    }
}
