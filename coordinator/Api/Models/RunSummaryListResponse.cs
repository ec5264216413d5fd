namespace BuildFarm.Coordinator.Api.Models;

/// <summary>One page of run summaries; <see cref="NextPageToken"/> is null on the last page.</summary>
public sealed record RunSummaryListResponse(IReadOnlyList<RunSummaryResponse> Runs, string? NextPageToken);
