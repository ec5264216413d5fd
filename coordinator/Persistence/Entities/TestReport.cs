namespace BuildFarm.Coordinator.Persistence.Entities;

/// <summary>One report group's JUnit counts for one attempt of a job (buildspec <c>reports</c>).</summary>
public sealed class TestReport
{
    public Guid Id { get; set; }
    public Guid JobId { get; set; }
    public Guid AttemptId { get; set; }
    public required string ReportGroup { get; set; }
    public int Files { get; set; }
    public int Total { get; set; }
    public int Passed { get; set; }
    public int Failed { get; set; }
    public int Skipped { get; set; }
    public int Errored { get; set; }
    public double DurationSeconds { get; set; }
}
