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
    IReadOnlyDictionary<string, string> ExportedVariables)
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
        run.Jobs.Select(JobResponse.From).ToList(),
        ExportedByJobs(run));

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
