namespace BuildFarm.Contracts.Events;

/// <summary>A manual approval action is waiting for someone to approve or reject it.</summary>
/// <param name="RunId">The run (one pipeline execution).</param>
/// <param name="Pipeline">Pipeline name.</param>
/// <param name="Stage">The stage the approval blocks.</param>
/// <param name="Action">The approval action's name.</param>
/// <param name="Summary">The action's configured summary (what the approver is asked).</param>
/// <param name="At">When the approval started waiting.</param>
public sealed record ApprovalNeeded(
    Guid RunId,
    string Pipeline,
    string Stage,
    string Action,
    string? Summary,
    DateTimeOffset At);
