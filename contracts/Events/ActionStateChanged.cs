namespace BuildFarm.Contracts.Events;

/// <summary>An action inside a stage of a pipeline run changed state.</summary>
/// <param name="RunId">The run (one pipeline execution).</param>
/// <param name="Pipeline">Pipeline name.</param>
/// <param name="PipelineVersion">The version the run uses.</param>
/// <param name="Stage">The stage holding the action.</param>
/// <param name="Action">The action's name; null when the change concerns the stage as a whole.</param>
/// <param name="State">STARTED, SUCCEEDED, FAILED, CANCELED, SUPERSEDED or ABANDONED.</param>
/// <param name="Reason">Why it failed or was cancelled; null otherwise.</param>
/// <param name="CorrelationId">Echo of the trigger's correlation id.</param>
/// <param name="At">When the state changed.</param>
public sealed record ActionStateChanged(
    Guid RunId,
    string Pipeline,
    int PipelineVersion,
    string Stage,
    string? Action,
    string State,
    string? Reason,
    Guid CorrelationId,
    DateTimeOffset At);
