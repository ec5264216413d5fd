namespace BuildFarm.Contracts.Events;

/// <summary>A run reached a final status.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Status">Succeeded, Failed or Cancelled.</param>
/// <param name="Reason">Why it failed or was cancelled; empty on success.</param>
/// <param name="CorrelationId">Echo of the trigger's correlation id.</param>
/// <param name="FinishedAt">When the run finished.</param>
public sealed record RunCompleted(Guid RunId, string Status, string? Reason, Guid CorrelationId, DateTimeOffset FinishedAt);
