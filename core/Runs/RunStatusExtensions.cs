namespace BuildFarm.Core.Runs;

public static class RunStatusExtensions
{
    public static bool IsFinal(this RunStatus status) =>
        status is RunStatus.Succeeded or RunStatus.Failed or RunStatus.Cancelled or RunStatus.Superseded;
}
