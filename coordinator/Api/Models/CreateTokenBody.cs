namespace BuildFarm.Coordinator.Api.Models;

/// <param name="Name">What the token is for, e.g. "worker-3" or "release automation".</param>
/// <param name="Role">admin, operator, viewer, trigger or worker.</param>
/// <param name="ExpiresInDays">0 or absent: never expires.</param>
public sealed record CreateTokenBody(string? Name, string? Role, int? ExpiresInDays);
