namespace BuildFarm.Contracts.Commands;

/// <summary>
/// Asks the coordinator to start a run of a pipeline's latest version (queue-driven automation).
/// The coordinator answers by publishing <see cref="Events.RunQueued"/> with the same <paramref name="CorrelationId"/>.
/// </summary>
/// <param name="Pipeline">Name of a stored pipeline.</param>
/// <param name="IdempotencyKey">A repeated key returns the run it first created instead of starting another.</param>
/// <param name="Variables">Environment variables that override the definition's for this run.</param>
/// <param name="CorrelationId">Chosen by the sender; echoed on the events the trigger causes.</param>
public sealed record TriggerRun(
    string Pipeline,
    string? IdempotencyKey,
    IReadOnlyDictionary<string, string>? Variables,
    Guid CorrelationId);
