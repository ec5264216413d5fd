using System.Diagnostics;
using System.Globalization;
using BuildFarm.Worker.Processes;

namespace BuildFarm.Worker.Jobs;

/// <summary>
/// Buildspec <c>run-as</c>: finds the Linux account (through NSS, as login would) and hands the
/// job's workspace to it, so its commands can write the source, HOME and the state that carries
/// cd/export between phases. The worker (root) keeps reading everything for cache and artifacts.
/// </summary>
public sealed class RunAsAccounts(JobWorkspace workspace)
{
    // getent and chown take milliseconds; the bound only stops a wedged NSS backend hanging the job.
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromMinutes(2);

    private readonly Dictionary<string, StepUser?> _known = new(StringComparer.Ordinal);
    private int? _workspaceOwner;

    /// <summary>
    /// The account, ready to run commands in the workspace; otherwise (no such user, a workspace it
    /// cannot reach or own) a message saying why, and the phase fails with it.
    /// </summary>
    public async Task<(StepUser? User, string? Problem)> PrepareAsync(string name, string workerId, CancellationToken cancellationToken)
    {
        if (!_known.TryGetValue(name, out var user))
        {
            user = await FindAsync(name, cancellationToken);
            _known[name] = user;
        }

        if (user is null)
        {
            return (null, $"run-as user '{name}' does not exist on this worker ({workerId})");
        }

        if (user.Uid != 0 && FirstClosedAncestor(workspace.Root) is { } closed)
        {
            return (null, $"run-as user '{name}' cannot reach the workspace: {closed} is not searchable by other users (chmod o+x it or move Worker:WorkRoot)");
        }

        // Steps of another account (root included) may have made files since; give them all over again.
        if (_workspaceOwner != user.Uid)
        {
            var (exit, output) = await RunToolAsync(
                "chown", ["-R", "--no-dereference", $"{user.Uid}:{user.Gid}", workspace.Root], cancellationToken);
            if (exit != 0)
            {
                return (null, $"run-as user '{name}': cannot give the workspace to it (chown exited with {exit}: {output.Trim()}); run-as needs the worker to run as root");
            }

            _workspaceOwner = user.Uid;
        }

        return (user, null);
    }

    /// <summary>After a step as the worker's own user, files it made are not the run-as account's.</summary>
    public void WorkerUserRan() => _workspaceOwner = null;

    private static string? FirstClosedAncestor(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        for (var directory = Path.GetDirectoryName(path); directory is not null; directory = Path.GetDirectoryName(directory))
        {
            if ((File.GetUnixFileMode(directory) & UnixFileMode.OtherExecute) == 0)
            {
                return directory;
            }
        }

        return null;
    }

    private static async Task<StepUser?> FindAsync(string name, CancellationToken cancellationToken)
    {
        // A name getent would read as a numeric id or an option is not a login name.
        if (name.Length == 0 || name.StartsWith('-') || name.Contains(':', StringComparison.Ordinal))
        {
            return null;
        }

        var (exit, output) = await RunToolAsync("getent", ["passwd", name], cancellationToken);
        if (exit != 0)
        {
            return null;
        }

        // name:password:uid:gid:gecos:home:shell
        var fields = output.Split('\n')[0].Split(':');
        return fields.Length >= 4
            && int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
            && int.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var gid)
            ? new StepUser(name, uid, gid)
            : null;
    }

    private static async Task<(int Exit, string Output)> RunToolAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(tool)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start.");
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(ToolTimeout);
        var stdout = process.StandardOutput.ReadToEndAsync(bounded.Token);
        var stderr = process.StandardError.ReadToEndAsync(bounded.Token);
        try
        {
            await process.WaitForExitAsync(bounded.Token);
            return (process.ExitCode, await stdout + await stderr);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }
    }
}
