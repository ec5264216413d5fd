using BuildFarm.Coordinator.Persistence.Entities;
using Job = BuildFarm.Coordinator.Persistence.Entities.Job;
using BuildFarm.Coordinator.Runs.Pipelines;
using BuildFarm.Protos.V1;

namespace BuildFarm.Coordinator.Grpc;

/// <summary>What a worker needs to run one action of a pipeline file, read from the run's immutable pipeline version.</summary>
public static class PipelineActionSpecs
{
    /// <summary>The action's spec, or null for a buildspec pipeline's job.</summary>
    public static PipelineActionSpec? For(PipelineVersion version, Job job)
    {
        if (job.StageName is null || PipelineRunPlanner.Read(version) is not { } definition)
        {
            return null;
        }
        var action = definition.Stages[job.StageIndex].Actions.First(a => a.Name == job.Name);
        var spec = new PipelineActionSpec
        {
            Stage = job.StageName,
            Name = action.Name,
            Category = job.Category ?? "",
        };
        spec.Configuration.Add(action.Configuration.ToDictionary());
        spec.EnvironmentVariables.Add(action.EnvironmentVariables.ToDictionary());
        spec.InputArtifacts.AddRange(action.InputArtifacts);
        spec.OutputArtifacts.AddRange(action.OutputArtifacts);
        return spec;
    }
}
