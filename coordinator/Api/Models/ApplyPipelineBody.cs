namespace BuildFarm.Coordinator.Api.Models;

/// <param name="Definition">The buildspec YAML.</param>
/// <param name="FileName">Its file name, for error positions (default buildspec.yml).</param>
/// <param name="TimeoutInMinutes">CodeBuild's build timeout for runs of this version, 5–2160 (default 60).</param>
/// <param name="QueuedTimeoutInMinutes">CodeBuild's queued timeout for runs of this version, 5–480 (default 480).</param>
/// <param name="Labels">Worker labels every job of this version's runs needs (Worker:Labels), e.g. ["gpu"]; none: any worker.</param>
public sealed record ApplyPipelineBody(string Definition, string? FileName, int? TimeoutInMinutes = null, int? QueuedTimeoutInMinutes = null, IReadOnlyList<string>? Labels = null);
