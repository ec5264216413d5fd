using BuildFarm.Coordinator.Persistence.Entities;

namespace BuildFarm.Coordinator.Runs.Scheduling;

/// <summary>The answer to a worker's claim: the job to run, or why not.</summary>
public sealed record JobClaim(bool Granted, string? Reason, Run? Run, PipelineVersion? Definition, TimeSpan Lease, long LogSeqStart)
{
    public static JobClaim Refused(string reason) => new(false, reason, null, null, TimeSpan.Zero, 0);
}
