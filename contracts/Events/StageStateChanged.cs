namespace BuildFarm.Contracts.Events;

/// <summary>A stage of a pipeline run changed state.</summary>
/// <param name="RunId">The run (one pipeline execution).</param>
/// <param name="Pipeline">Pipeline name.</param>
/// <param name="PipelineVersion">The version the run uses.</param>
/// <param name="Stage">The stage's name.</param>
/// <param name="State">STARTED, SUCCEEDED, FAILED, CANCELED, SUPERSEDED, STOPPING or STOPPED.</param>
/// <param name="Reason">Why it failed, was cancelled or superseded; null otherwise.</param>
/// <param name="CorrelationId">Echo of the trigger's correlation id.</param>
/// <param name="At">When the state changed.</param>
public sealed record StageStateChanged(
    Guid RunId,
    string Pipeline,
    int PipelineVersion,
    string Stage,
    string State,
    string? Reason,
    Guid CorrelationId,
    DateTimeOffset At);
