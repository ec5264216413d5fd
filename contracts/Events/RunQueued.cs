namespace BuildFarm.Contracts.Events;

/// <summary>A run was recorded and its jobs queued.</summary>
/// <param name="RunId">The new run, or the existing one when the idempotency key repeated.</param>
/// <param name="Pipeline">Pipeline name.</param>
/// <param name="PipelineVersion">The version the run uses.</param>
/// <param name="IdempotencyKey">The trigger's key, if any.</param>
/// <param name="CorrelationId">Echo of the trigger's correlation id.</param>
/// <param name="QueuedAt">When the run was recorded.</param>
public sealed record RunQueued(
    Guid RunId,
    string Pipeline,
    int PipelineVersion,
    string? IdempotencyKey,
    Guid CorrelationId,
    DateTimeOffset QueuedAt);
