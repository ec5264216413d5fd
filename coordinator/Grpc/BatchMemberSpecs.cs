using BuildFarm.Coordinator.Persistence.Entities;
using BuildFarm.Coordinator.Runs.Batches;
using BuildFarm.Protos.V1;
using Job = BuildFarm.Coordinator.Persistence.Entities.Job;
using Run = BuildFarm.Coordinator.Persistence.Entities.Run;

namespace BuildFarm.Coordinator.Grpc;

/// <summary>What a worker needs to run one member build of a batch, read from the run's immutable buildspec version.</summary>
public static class BatchMemberSpecs
{
    /// <summary>The member's spec and its inline buildspec (null: it runs the batch's), or null for a job outside a batch.</summary>
    public static (BatchMemberSpec Spec, string? BuildSpec)? For(Run run, PipelineVersion version, Job job)
    {
        if (job.BatchIdentifier is null)
        {
            return null;
        }
        var spec = new BatchMemberSpec
        {
            Identifier = job.BatchIdentifier,
            Kind = run.BatchKind ?? "",
        };
        // The version is immutable and was planned from this very text, so the member is there; the job's own copy of
        // its variables stands in should it not be.
        var member = BatchRunPlanner.Member(version, job);
        spec.Variables.Add(member?.Variables.ToDictionary() ?? job.BatchVariables ?? []);
        spec.Environment.Add(member?.Environment.ToDictionary() ?? []);
        var inline = member?.BuildSpec?.Inline;
        spec.Buildspec = inline is null ? "" : "inline";
        return (spec, inline);
    }
}
