namespace BuildFarm.Contracts.Events;

/// <summary>The first job of a run started on a worker.</summary>
/// <param name="RunId">The run.</param>
/// <param name="CorrelationId">Echo of the trigger's correlation id.</param>
/// <param name="StartedAt">When the first job started.</param>
public sealed record RunStarted(Guid RunId, Guid CorrelationId, DateTimeOffset StartedAt);
