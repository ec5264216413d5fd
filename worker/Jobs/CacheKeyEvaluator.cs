using System.Diagnostics;

namespace BuildFarm.Worker.Jobs;

/// <summary>
/// Evaluates a buildspec's cache key as CodeBuild does: through the shell, in the job's environment
/// and source directory, so <c>$VAR</c> and <c>$(codebuild-hash-files …)</c> work. The key is fed as
/// an unquoted here-document, which expands variables and command substitutions but needs no
/// quoting of the key itself.
/// </summary>
public static class CacheKeyEvaluator
{
    private const string Delimiter = "__BUILDFARM_CACHE_KEY__";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    /// <returns>The key, or null and the reason it could not be evaluated.</returns>
    public static async Task<(string? Key, string? Problem)> EvaluateAsync(
        string expression, IReadOnlyDictionary<string, string> environment, string workingDirectory, CancellationToken cancellationToken)
    {
        if (expression.Contains('\n', StringComparison.Ordinal) || expression.Contains(Delimiter, StringComparison.Ordinal))
        {
            return (null, "a cache key must be one line");
        }

        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"cat <<{Delimiter}\n{expression}\n{Delimiter}\n");
        start.Environment.Clear();
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start.");
        process.StandardInput.Close();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Limit);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            var key = (await output).TrimEnd('\n');
            if (process.ExitCode != 0)
            {
                return (null, $"bash exited with {process.ExitCode}: {(await error).Trim()}");
            }

            return key.Contains('\n', StringComparison.Ordinal) ? (null, "the key evaluated to more than one line") : (key, null);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (null, cancellationToken.IsCancellationRequested ? "cancelled" : $"evaluating the key took longer than {Limit.TotalSeconds} s");
        }
    }
}
