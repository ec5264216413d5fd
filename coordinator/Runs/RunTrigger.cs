namespace BuildFarm.Coordinator.Runs;

/// <summary>What every entry point (HTTP, gRPC, bus, webhook) passes to <see cref="RunService.TriggerAsync"/>.</summary>
public sealed record RunTrigger(
    string Pipeline,
    string? IdempotencyKey,
    IReadOnlyDictionary<string, string>? Variables,
    Guid CorrelationId,
    string TriggeredBy);
