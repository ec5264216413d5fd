namespace BuildFarm.Coordinator.Api.Models;

public sealed record ApplyPipelineBody(string Definition, string? FileName);
