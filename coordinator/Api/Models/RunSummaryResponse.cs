using BuildFarm.Coordinator.Persistence.Entities;

namespace BuildFarm.Coordinator.Api.Models;

/// <summary>
/// A run as a list row: what <see cref="RunResponse"/> has minus jobs, plus the source it built
/// (branch or tag or pull request, and commit) read from the CodeBuild variables a webhook or a
/// trigger gave it. Null where the trigger named none.
/// </summary>
public sealed record RunSummaryResponse(
    Guid Id,
    string Pipeline,
    int PipelineVersion,
    string Status,
    string? Reason,
    string TriggeredBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Branch,
    string? Commit,
    string? Event)
{
    public static RunSummaryResponse From(Run run) => new(
        run.Id,
        run.PipelineName,
        run.PipelineVersion,
        run.Status.ToString(),
        run.Reason,
        run.TriggeredBy,
        run.CreatedAt,
        run.StartedAt,
        run.FinishedAt,
        RunSource.Branch(run.Variables),
        RunSource.Commit(run.Variables),
        run.Variables.GetValueOrDefault("CODEBUILD_WEBHOOK_EVENT"));
}
