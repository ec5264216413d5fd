namespace BuildFarm.Coordinator.Api.Models;

/// <summary>One page of runs; <see cref="NextPageToken"/> is null on the last page.</summary>
public sealed record RunListResponse(IReadOnlyList<RunResponse> Runs, string? NextPageToken);
