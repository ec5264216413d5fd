namespace BuildFarm.Contracts.Commands;

/// <summary>
/// The coordinator's note to itself (any coordinator may take it): a run with stages was queued or finished, so the
/// pipeline's execution gate should look again at who may enter a stage. Buildspec runs, which have no stages, never
/// send it.
/// </summary>
/// <param name="RunId">The run that was queued or finished.</param>
/// <param name="PipelineId">The pipeline whose gate to pass.</param>
public sealed record AdmitExecutions(Guid RunId, Guid PipelineId);
