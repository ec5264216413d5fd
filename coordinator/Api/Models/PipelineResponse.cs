using BuildFarm.Coordinator.Persistence.Entities;

namespace BuildFarm.Coordinator.Api.Models;

public sealed record PipelineResponse(string Name, int Version, string FileName, string Definition, DateTimeOffset CreatedAt)
{
    public static PipelineResponse From(Pipeline pipeline, PipelineVersion version) =>
        new(pipeline.Name, version.Version, version.FileName, version.Definition, version.CreatedAt);
}
