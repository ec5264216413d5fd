namespace BuildFarm.Coordinator.Api.Models;

/// <summary>POST /api/runs/{id}/stop: <c>wait</c> (default) or <c>abandon</c>, and an optional reason.</summary>
public sealed record StopExecutionBody(string? Mode, string? Reason);
