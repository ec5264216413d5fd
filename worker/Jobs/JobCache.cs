using System.Globalization;
using System.Runtime.InteropServices;
using BuildFarm.Core.Caching;
using BuildFarm.Core.Definitions;
using BuildFarm.Storage.Caching;
using BuildFarm.Worker.Caching;
using Microsoft.Extensions.Options;

namespace BuildFarm.Worker.Jobs;

/// <summary>
/// A job's side of the dependency cache: works out the key (the buildspec's, shell-evaluated, or
/// the automatic Gradle key), restores before the install phase, saves after a successful build
/// when the run may write, and says what happened in the job's log as the farm's own lines
/// ("cache key gradle-…: hit", "fallback hit on …", "miss").
/// </summary>
public sealed class JobCache(IDependencyCache cache, IOptions<CacheOptions> options)
{
    public static string Platform =>
        $"{RuntimeInformation.OSDescription.Split(' ')[0].ToLowerInvariant()}-{RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()}";

    public async Task<JobCacheState?> RestoreAsync(
        ClaimedJob job, BuildSpecCache spec, JobWorkspace workspace, IReadOnlyDictionary<string, string> env, Action<string> log, CancellationToken cancel)
    {
        var (roots, problems) = CachePaths.Resolve(spec.Paths, workspace.Home, workspace.Source);
        foreach (var problem in problems)
        {
            log($"cache: {problem}; skipped");
        }

        if (roots.Count == 0)
        {
            return null;
        }

        var (key, keyProblem) = await KeyAsync(job, spec, roots, workspace, env, cancel);
        if (key is null)
        {
            log($"cache: no key ({keyProblem}); the cache is not used");
            return null;
        }

        if (spec.Action == BuildSpecCacheAction.Save)
        {
            log($"cache key {key}: not restored (action: save)");
            return new JobCacheState(spec, roots, key, null);
        }

        var fallbacks = new List<string>();
        foreach (var fallback in spec.FallbackKeys)
        {
            var (prefix, problem) = await CacheKeyEvaluator.EvaluateAsync(fallback, env, workspace.Source, cancel);
            if (prefix is { Length: > 0 })
            {
                fallbacks.Add(prefix);
            }
            else
            {
                log($"cache: fallback key '{fallback}' skipped ({problem ?? "empty"})");
            }
        }

        if (spec.Key is null && roots.Any(r => r.GradleHomePath is not null))
        {
            // The automatic key changes with every lockfile change; the namespace's newest entry is the best start then.
            fallbacks.Add(CacheKey.GradlePrefix(Namespace(job), Platform));
        }

        var restored = await cache.RestoreAsync(key, fallbacks, roots, cancel);
        job.CacheOutcome = restored.Outcome.ToString();
        log(Describe(restored));
        return new JobCacheState(spec, roots, key, restored);
    }

    public async Task SaveAsync(ClaimedJob job, JobCacheState state, JobWorkspace workspace, IReadOnlyDictionary<string, string> env, Action<string> log, CancellationToken cancel)
    {
        var (key, keyProblem) = await KeyAsync(job, state.Spec, state.Roots, workspace, env, cancel);
        key ??= state.RestoreKey;
        if (keyProblem is not null)
        {
            log($"cache: the key could not be evaluated again ({keyProblem}); saving under {key}");
        }

        if (state.Spec.Action == BuildSpecCacheAction.Restore)
        {
            log($"cache key {key}: not saved (action: restore)");
            return;
        }

        var (save, why) = CacheWritePolicy.Decide(env, options.Value.DefaultBranch);
        if (!save)
        {
            log($"cache key {key}: not saved ({why})");
            return;
        }

        if (state.Restored is { Outcome: CacheRestoreOutcome.Hit } hit && hit.MatchedKey == key)
        {
            log($"cache key {key}: not saved (restored from this very key; entries are never overwritten)");
            return;
        }

        var saved = await cache.SaveAsync(key, state.Roots, state.Restored, cancel);
        log(Describe(saved));
    }

    private async Task<(string? Key, string? Problem)> KeyAsync(
        ClaimedJob job, BuildSpecCache spec, IReadOnlyList<CacheRoot> roots, JobWorkspace workspace, IReadOnlyDictionary<string, string> env, CancellationToken cancel)
    {
        string key;
        if (spec.Key is { } expression)
        {
            var (evaluated, problem) = await CacheKeyEvaluator.EvaluateAsync(expression, env, workspace.Source, cancel);
            if (evaluated is null)
            {
                return (null, problem);
            }

            key = evaluated;
        }
        else if (GradleLockfiles.IsGradleProject(workspace.Source))
        {
            key = CacheKey.ForGradle(Namespace(job), Platform, GradleLockfiles.Find(workspace.Source));
        }
        else
        {
            // No key and no Gradle build (yet): one entry per namespace and set of paths.
            var paths = string.Join('\n', roots.Select(r => r.Name));
            key = $"cache-{CacheKey.GradlePrefix(Namespace(job), Platform)["gradle-".Length..]}"
                + CacheKey.HashFiles([new CacheKeyFile("paths", System.Text.Encoding.UTF8.GetBytes(paths))])[..16];
        }

        return CacheKey.Problem(key) is { } invalid ? (null, $"'{key}' {invalid}") : (key, null);
    }

    private string Namespace(ClaimedJob job) => options.Value.Namespace is { Length: > 0 } shared ? shared : job.Pipeline;

    private string Describe(CacheRestoreResult result)
    {
        var figures = string.Create(CultureInfo.InvariantCulture,
            $"{result.Files} files, {Mb(result.Bytes)} MB; {Mb(result.BytesDownloaded)} MB downloaded from {cache.StoreName}, {Mb(result.BytesFromLocal)} MB from this worker's blob cache; {result.Elapsed.TotalSeconds:0.0} s");
        return result.Outcome switch
        {
            CacheRestoreOutcome.Hit => $"cache key {result.Key}: hit ({figures})",
            CacheRestoreOutcome.FallbackHit => $"cache key {result.Key}: fallback hit on {result.MatchedKey} ({figures})",
            _ when result.Reason is null => $"cache key {result.Key}: miss",
            _ => $"cache key {result.Key}: miss (warning: restore failed: {result.Reason})",
        };
    }

    private string Describe(CacheSaveResult result) => result.Outcome switch
    {
        CacheSaveOutcome.Saved => string.Create(CultureInfo.InvariantCulture,
            $"cache key {result.Key}: saved {result.Files} files ({Mb(result.Bytes)} MB); uploaded {Mb(result.BytesUploaded)} MB in {result.BlobsUploaded} new blobs to {cache.StoreName}, {result.BlobsReused} blobs already stored{(result.FilesDropped > 0 ? $", {result.FilesDropped} unread files dropped" : "")}; {result.Elapsed.TotalSeconds:0.0} s"),
        CacheSaveOutcome.AlreadyExists => $"cache key {result.Key}: not saved ({result.Reason})",
        _ => $"cache key {result.Key}: not saved (warning: save failed: {result.Reason})",
    };

    private static string Mb(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture);
}
