namespace BuildFarm.Coordinator.Api.Models;

/// <summary>POST /api/runs/{id}/approvals/{stage}/{action}: <c>approve</c> or <c>reject</c>, and an optional comment.</summary>
public sealed record ApprovalDecisionBody(string? Decision, string? Comment);
