namespace BuildFarm.Core.Runs;

public enum PhaseStatus
{
    Succeeded,
    Failed,
    Skipped,
    Cancelled,
}
