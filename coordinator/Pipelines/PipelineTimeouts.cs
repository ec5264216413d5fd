namespace BuildFarm.Coordinator.Pipelines;

/// <summary>A pipeline version's CodeBuild timeouts in minutes; null keeps the default (60 and 480).</summary>
public sealed record PipelineTimeouts(int? TimeoutInMinutes, int? QueuedTimeoutInMinutes);
