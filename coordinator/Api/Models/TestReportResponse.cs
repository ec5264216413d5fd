using BuildFarm.Coordinator.Persistence.Entities;

namespace BuildFarm.Coordinator.Api.Models;

/// <summary>One report group's test counts for a job of the run (its current attempt).</summary>
public sealed record TestReportResponse(
    Guid JobId,
    string Job,
    string ReportGroup,
    int Files,
    int Total,
    int Passed,
    int Failed,
    int Skipped,
    int Errored,
    double DurationSeconds)
{
    public static IEnumerable<TestReportResponse> From(Run run) =>
        run.Jobs.SelectMany(job => job.Reports
            .Where(r => r.AttemptId == job.AttemptId)
            .OrderBy(r => r.ReportGroup, StringComparer.Ordinal)
            .Select(r => new TestReportResponse(job.Id, job.Name, r.ReportGroup, r.Files, r.Total, r.Passed, r.Failed, r.Skipped, r.Errored, r.DurationSeconds)));
}
