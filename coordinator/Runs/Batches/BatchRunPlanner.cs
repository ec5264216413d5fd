using BuildFarm.Coordinator.Persistence.Entities;
using BuildFarm.Core.Definitions;
using BuildFarm.Core.Definitions.Parsing;
using BuildFarm.Core.Runs;

namespace BuildFarm.Coordinator.Runs.Batches;

/// <summary>
/// Turns a stored buildspec's <c>batch</c> section into a run's jobs: one per member build, every one Waiting until
/// <see cref="BatchAdvancer"/> dispatches it. A stored buildspec with a batch section always runs as a batch (CodeBuild
/// does so only for StartBuildBatch; here there is no other way to start one).
/// </summary>
public static class BatchRunPlanner
{
    /// <summary>
    /// The batch of a buildspec version, or null when it has none (one build job, as before). A batch section that no
    /// longer parses (stored before batches ran) is refused with its diagnostics: running it as one build would
    /// silently ignore it.
    /// </summary>
    /// <exception cref="DefinitionInvalidException">The batch section is invalid, or asks for what cannot run here.</exception>
    public static BuildSpecBatch? Read(PipelineVersion version) => Read(version.Definition, version.FileName);

    public static BuildSpecBatch? Read(string definition, string fileName)
    {
        // Most buildspecs have no batch: spare them the parse (a run's trigger is on the latency path).
        if (!definition.Contains("batch", StringComparison.Ordinal))
        {
            return null;
        }
        var parsed = BuildSpecParser.Parse(definition, fileName);
        if (parsed.HasErrors)
        {
            // Errors elsewhere are the worker's to report, as for any build; an invalid batch cannot be planned at all.
            var batchErrors = parsed.Diagnostics.Where(d => d.Severity == DefinitionSeverity.Error && d.Field.StartsWith("batch", StringComparison.Ordinal)).ToList();
            return batchErrors.Count == 0 ? null : throw new DefinitionInvalidException(batchErrors);
        }
        var batch = parsed.Spec!.Batch;
        if (batch is not null)
        {
            CheckSources(batch, fileName);
        }
        return batch;
    }

    /// <summary>
    /// A member's <c>buildspec</c> path names a file in the build's source, but a stored buildspec's builds have no
    /// source (the definition is the whole input): refused here, at apply and at trigger, rather than failing the build.
    /// Inline buildspecs run.
    /// </summary>
    /// <exception cref="DefinitionInvalidException">At least one member names a buildspec file.</exception>
    public static void CheckSources(BuildSpecBatch batch, string fileName)
    {
        var refused = batch.Builds
            .Select(b => b.BuildSpec)
            .OfType<BatchBuildSpecOverride>()
            .Where(o => o.Path is not null)
            .DistinctBy(o => (o.Line, o.Column))
            .Select(o => new DefinitionDiagnostic(fileName, o.Line, o.Column, o.Field, DefinitionSeverity.Error,
                $"buildspec '{o.Path}' is a file in the build's source, but a stored buildspec's builds have no source to read it from; "
                + "write that buildspec inline ('buildspec: |' and its text) or leave the key out to run this buildspec."))
            .ToList();
        if (refused.Count > 0)
        {
            throw new DefinitionInvalidException(refused);
        }
    }

    /// <summary>One Waiting job per member, with its identifier, dependencies and overrides; timeouts as for a single build.</summary>
    public static void AddJobs(Run run, BuildSpecBatch batch, int? buildTimeoutSeconds, int? queuedTimeoutSeconds)
    {
        run.BatchKind = batch.KindKey;
        run.BatchFastFail = batch.FastFail;
        for (var i = 0; i < batch.Builds.Count; i++)
        {
            var build = batch.Builds[i];
            run.Jobs.Add(new Job
            {
                Id = Guid.NewGuid(),
                RunId = run.Id,
                Name = build.Identifier,
                BatchIdentifier = build.Identifier,
                BatchIndex = i,
                BatchDependOn = build.DependOn.Count == 0 ? null : [.. build.DependOn],
                BatchIgnoreFailure = build.IgnoreFailure,
                BatchVariables = build.Variables.Count == 0 ? null : new Dictionary<string, string>(build.Variables, StringComparer.Ordinal),
                BatchBuildSpec = build.BuildSpec?.Describe(),
                Status = RunStatus.Waiting,
                AttemptId = Guid.NewGuid(),
                Attempt = 1,
                BuildTimeoutSeconds = buildTimeoutSeconds,
                QueuedTimeoutSeconds = queuedTimeoutSeconds,
            });
        }
    }

    /// <summary>The member a batch job runs, read from the run's (immutable) buildspec version; null when it is not one.</summary>
    public static BatchBuild? Member(PipelineVersion version, Job job)
    {
        if (job.BatchIdentifier is null)
        {
            return null;
        }
        var spec = BuildSpecParser.Parse(version.Definition, version.FileName).Spec;
        return spec?.Batch?.Builds.FirstOrDefault(b => b.Identifier == job.BatchIdentifier);
    }
}
