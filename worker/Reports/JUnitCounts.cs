namespace BuildFarm.Worker.Reports;

/// <summary>Test case counts summed over one or more JUnit files.</summary>
public sealed class JUnitCounts
{
    public int Passed { get; private set; }
    public int Failed { get; private set; }
    public int Skipped { get; private set; }
    public int Errored { get; private set; }
    public int Total => Passed + Failed + Skipped + Errored;
    public double DurationSeconds { get; set; }

    public void Add(CaseOutcome outcome)
    {
        switch (outcome)
        {
            case CaseOutcome.Failed: Failed++; break;
            case CaseOutcome.Skipped: Skipped++; break;
            case CaseOutcome.Errored: Errored++; break;
            default: Passed++; break;
        }
    }

    public void Add(JUnitCounts other)
    {
        Passed += other.Passed;
        Failed += other.Failed;
        Skipped += other.Skipped;
        Errored += other.Errored;
        DurationSeconds += other.DurationSeconds;
    }
}
