namespace BuildFarm.Coordinator.Api.Models;

/// <summary>POST /api/runs. <c>SourceRevision</c>: the commit a pipeline file's source actions check out instead of their branch head.</summary>
public sealed record TriggerRunBody(string Pipeline, string? IdempotencyKey, Dictionary<string, string>? Variables, Guid? CorrelationId, string? SourceRevision = null);
