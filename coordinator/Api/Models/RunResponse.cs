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
    IReadOnlyList<JobResponse> Jobs)
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
        run.Jobs.Select(JobResponse.From).ToList());
}
