using System.Diagnostics;

namespace BuildFarm.EndToEndTests;

/// <summary>Runs the repository's own <c>./buildfarm</c> script as a user would, and kills it by PID on timeout.</summary>
internal static class Launcher
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string home, TimeSpan limit, params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(RepositoryRoot, "buildfarm"))
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["BUILDFARM_HOME"] = home;
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"./buildfarm {string.Join(' ', args)} did not finish in {limit}: {await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BuildFarm.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("BuildFarm.sln not found above " + AppContext.BaseDirectory);
    }
}
