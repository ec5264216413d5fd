namespace BuildFarm.Core.Definitions.Pipelines;

/// <summary>A pipeline variable: every action sees it as an environment variable; a trigger may override the default.</summary>
public sealed record PipelineVariable(string Name, string Default, string? Description);
