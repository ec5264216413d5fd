namespace BuildFarm.Coordinator.Pipelines;

/// <summary>
/// What a pipeline version sets besides its definition, like a CodeBuild project's settings: the build and
/// queued timeouts in minutes (null: CodeBuild's defaults) and the worker labels its jobs need (none: any worker).
/// </summary>
public sealed record PipelineVersionSettings(int? TimeoutInMinutes, int? QueuedTimeoutInMinutes, IReadOnlyList<string>? Labels = null)
{
    public static PipelineVersionSettings Defaults { get; } = new(null, null);
}
