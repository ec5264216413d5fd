using BuildFarm.Coordinator.Persistence.Entities;
using BuildFarm.Core.Runs;

namespace BuildFarm.Coordinator.Api.Models;

public sealed record PipelineResponse(
    string Name, int Version, string FileName, string Definition, DateTimeOffset CreatedAt, int TimeoutInMinutes, int QueuedTimeoutInMinutes,
    IReadOnlyList<string> Labels)
{
    public static PipelineResponse From(Pipeline pipeline, PipelineVersion version) =>
        new(
            pipeline.Name,
            version.Version,
            version.FileName,
            version.Definition,
            version.CreatedAt,
            version.TimeoutInMinutes ?? BuildTimeouts.DefaultBuildMinutes,
            version.QueuedTimeoutInMinutes ?? BuildTimeouts.DefaultQueuedMinutes,
            version.Labels);
}
