namespace BuildFarm.Worker.Reports;

/// <summary>What became of one JUnit test case.</summary>
public enum CaseOutcome
{
    Passed,
    Failed,
    Skipped,
    Errored,
}
