using BuildFarm.Worker.Processes;

namespace BuildFarm.UnitTests.Worker.Processes;

internal static class Steps
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    /// <summary>How much later than its own bound a termination may finish on a loaded machine.</summary>
    public static readonly TimeSpan Slack = TimeSpan.FromSeconds(5);

    public static IReadOnlyDictionary<string, string> Environment(string home) => new Dictionary<string, string>
    {
        ["PATH"] = "/usr/local/bin:/usr/bin:/bin",
        ["HOME"] = home,
        ["LANG"] = "C.UTF-8",
    };

    public static StepProcessStartInfo Info(TempDirectory temp, string script) =>
        new(script, temp.Path, Environment(temp.Path)) { ScriptDirectory = temp.Path };

    public static async Task<int> RunAsync(StepProcess step)
    {
        using var timeout = new CancellationTokenSource(Bound);
        return await step.WaitForExitAsync(timeout.Token);
    }
}
