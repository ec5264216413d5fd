using BuildFarm.Coordinator.Persistence.Entities;

namespace BuildFarm.Coordinator.Api.Models;

public sealed record JobResponse(
    Guid Id,
    string Name,
    string Status,
    int Attempt,
    string? WorkerId,
    int? ExitCode,
    string? Reason,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyList<PhaseResponse> Phases,
    IReadOnlyDictionary<string, string> ExportedVariables,
    string? Stage = null,
    int StageIndex = 0,
    int RunOrder = 1,
    string? Category = null,
    string? Identifier = null,
    IReadOnlyList<string>? DependOn = null,
    bool IgnoreFailure = false,
    IReadOnlyDictionary<string, string>? Variables = null,
    string? BuildSpec = null)
{
    public static JobResponse From(Job job) => new(
        job.Id,
        job.Name,
        job.Status.ToString(),
        job.Attempt,
        job.WorkerId,
        job.ExitCode,
        job.Reason,
        job.StartedAt,
        job.FinishedAt,
        job.Phases.Where(p => p.AttemptId == job.AttemptId).OrderBy(p => p.StartedAt).Select(PhaseResponse.From).ToList(),
        job.ExportedVariables ?? [],
        job.StageName,
        job.StageIndex,
        job.RunOrder,
        job.Category,
        job.BatchIdentifier,
        job.BatchIdentifier is null ? null : job.BatchDependOn ?? [],
        job.BatchIgnoreFailure,
        job.BatchIdentifier is null ? null : job.BatchVariables ?? [],
        job.BatchBuildSpec);
}
