using System.Diagnostics;
using System.Text;

namespace BuildFarm.Worker.Pipelines;

/// <summary>
/// A source action's checkout with the git CLI: init, fetch exactly one commit (the triggering one when the run
/// has CODEBUILD_RESOLVED_SOURCE_VERSION, else the branch head) at the configured depth, detach onto it, and
/// optionally the submodules. Credentials go in an http.extraHeader given on the command line only, never
/// into the clone's config or the log.
/// </summary>
public static class GitCheckout
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(30);

    /// <summary>The commit checked out; throws <see cref="GitCheckoutException"/> naming the git command that failed.</summary>
    public static async Task<string> RunAsync(
        string repository, string reference, int depth, bool submodules, string? credentials, string directory, Action<string> log, CancellationToken cancellationToken)
    {
        var auth = credentials is null || !repository.StartsWith("http", StringComparison.OrdinalIgnoreCase)
            ? []
            : new[] { "-c", $"http.extraHeader=Authorization: Basic {Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials.Contains(':', StringComparison.Ordinal) ? credentials : $"x-access-token:{credentials}"))}" };
        var depthArgs = depth > 0 ? new[] { "--depth", depth.ToString(System.Globalization.CultureInfo.InvariantCulture) } : [];
        await GitAsync(directory, log, [], ["init", "-q"], cancellationToken);
        await GitAsync(directory, log, [], ["remote", "add", "origin", repository], cancellationToken);
        await GitAsync(directory, log, auth, ["fetch", "-q", "--no-tags", .. depthArgs, "origin", reference], cancellationToken);
        await GitAsync(directory, log, [], ["checkout", "-q", "--detach", "FETCH_HEAD"], cancellationToken);
        if (submodules)
        {
            await GitAsync(directory, log, auth, ["submodule", "update", "-q", "--init", "--recursive", .. depthArgs], cancellationToken);
        }
        return (await GitAsync(directory, log, [], ["rev-parse", "HEAD"], cancellationToken)).Trim();
    }

    private static async Task<string> GitAsync(string directory, Action<string> log, string[] secretArgs, string[] args, CancellationToken cancellationToken)
    {
        var shown = $"git {string.Join(' ', args)}";
        log(shown);
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in secretArgs.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }
        // Never ask on a terminal: a missing credential fails at once instead of hanging the job.
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["GIT_ASKPASS"] = "/bin/false";
        using var process = Process.Start(start) ?? throw new GitCheckoutException($"{shown}: git could not be started");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CommandTimeout);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Cancelled or past the timeout: git must not outlive the action.
            process.Kill(entireProcessTree: true);
            throw;
        }
        var stderr = (await error).Trim();
        if (stderr.Length > 0)
        {
            log(stderr);
        }
        if (process.ExitCode != 0)
        {
            throw new GitCheckoutException($"{shown} exited with {process.ExitCode}{(stderr.Length > 0 ? $": {stderr.Split('\n')[^1]}" : "")}");
        }
        return await output;
    }
}
