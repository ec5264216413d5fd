using BuildFarm.Coordinator.Persistence.Entities;

namespace BuildFarm.Coordinator.Api.Models;

public sealed record RunResponse(
    Guid Id,
    string Pipeline,
    int PipelineVersion,
    string Status,
    string? Reason,
    string TriggeredBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyList<JobResponse> Jobs,
    IReadOnlyDictionary<string, string> ExportedVariables,
    BatchResponse? Batch = null)
{
    public static RunResponse From(Run run) => new(
        run.Id,
        run.PipelineName,
        run.PipelineVersion,
        run.Status.ToString(),
        run.Reason,
        run.TriggeredBy,
        run.CreatedAt,
        run.StartedAt,
        run.FinishedAt,
        run.Jobs.OrderBy(j => j.BatchIndex).Select(JobResponse.From).ToList(),
        ExportedByJobs(run),
        run.BatchKind is null ? null : new BatchResponse(run.BatchKind, run.BatchFastFail));

    /// <summary>Every job's exported variables in one map, for later pipeline stages (a later job wins a clash).</summary>
    private static Dictionary<string, string> ExportedByJobs(Run run)
    {
        var all = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var job in run.Jobs.OrderBy(j => j.FinishedAt))
        {
            foreach (var (name, value) in job.ExportedVariables ?? [])
            {
                all[name] = value;
            }
        }

        return all;
    }
}

/// <summary>A batch run's settings: its kind (build-list, build-graph, build-matrix) and fast-fail; its jobs are the members.</summary>
public sealed record BatchResponse(string Kind, bool FastFail);
