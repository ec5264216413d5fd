namespace BuildFarm.Coordinator.Api.Models;

/// <summary>A trigger: <see cref="SourceVersion"/> is a commit SHA, refs/heads/BRANCH, refs/tags/TAG or pr/N (CodeBuild's sourceVersion).</summary>
public sealed record TriggerRunBody(string Pipeline, string? IdempotencyKey, Dictionary<string, string>? Variables, Guid? CorrelationId, string? SourceVersion = null);
