using BuildFarm.Core.Runs;

namespace BuildFarm.Coordinator.Persistence.Entities;

public sealed class Run
{
    public Guid Id { get; set; }
    public Guid PipelineId { get; set; }
    public required string PipelineName { get; set; }
    public int PipelineVersion { get; set; }
    public Guid PipelineVersionId { get; set; }
    public RunStatus Status { get; set; }
    public string? Reason { get; set; }
    /// <summary>Unique when set: a repeated trigger returns this run.</summary>
    public string? IdempotencyKey { get; set; }
    public Guid CorrelationId { get; set; }
    public required string TriggeredBy { get; set; }
    public Dictionary<string, string> Variables { get; set; } = [];

    /// <summary>
    /// Set when the run is a batch (its buildspec has a <c>batch</c> section): <c>build-list</c>, <c>build-graph</c> or
    /// <c>build-matrix</c>. Its jobs are the member builds; null for every other run.
    /// </summary>
    public string? BatchKind { get; set; }

    /// <summary>The batch's <c>fast-fail</c>: the first build that fails (and may not) stops the others.</summary>
    public bool BatchFastFail { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    /// <summary>Optimistic concurrency: bumped on every update.</summary>
    public int Revision { get; set; }
    public List<Job> Jobs { get; set; } = [];
}
