namespace BuildFarm.Coordinator.Api.Models;

public sealed record TriggerRunBody(string Pipeline, string? IdempotencyKey, Dictionary<string, string>? Variables, Guid? CorrelationId);
