using BuildFarm.Core.Definitions;

namespace BuildFarm.Worker.Jobs;

/// <summary>
/// The complete environment a job's steps see. Nothing of the worker's own environment leaks in
/// (its secrets, its configuration) except PATH and locale, which a build needs to find tools.
/// </summary>
public static class JobEnvironment
{
    public static Dictionary<string, string> Build(ClaimedJob job, BuildSpec spec, JobWorkspace workspace, DateTimeOffset startedAt)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin",
            ["HOME"] = workspace.Home,
            ["LANG"] = Environment.GetEnvironmentVariable("LANG") ?? "C.UTF-8",
            ["TMPDIR"] = Path.GetTempPath(),
            ["CI"] = "true",
        };
        var buildId = $"{job.Pipeline}:{job.RunId}";
        var farm = new Dictionary<string, string>
        {
            ["SRC_DIR"] = workspace.Source,
            ["BUILD_ID"] = buildId,
            ["BUILD_NUMBER"] = job.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["BUILD_SUCCEEDING"] = "1",
            ["START_TIME"] = startedAt.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RUN_ID"] = job.RunId.ToString(),
            ["JOB_ID"] = job.JobId.ToString(),
            ["PIPELINE"] = job.Pipeline,
        };
        foreach (var (name, value) in farm)
        {
            env[$"CODEBUILD_{name}"] = value;
            env[$"BUILDFARM_{name}"] = value;
        }

        // The definition's variables, then the run's overrides, then a batch member's: each replaces, never appends.
        foreach (var (name, value) in spec.Env.Variables)
        {
            env[name] = value;
        }

        foreach (var (name, value) in job.Variables)
        {
            env[name] = value;
        }

        // A batch member: its identifier, and its own variables over both (they are what tells the members apart).
        if (job.Batch is { } batch)
        {
            env["CODEBUILD_BATCH_BUILD_IDENTIFIER"] = env["BUILDFARM_BATCH_BUILD_IDENTIFIER"] = batch.Identifier;
            foreach (var (name, value) in batch.Variables)
            {
                env[name] = value;
            }
        }

        foreach (var (name, value) in job.SecretVariables)
        {
            env[name] = value;
        }

        return env;
    }
}
