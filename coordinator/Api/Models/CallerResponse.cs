namespace BuildFarm.Coordinator.Api.Models;

/// <summary>The caller as its token says: name, role and the permissions the role grants.</summary>
public sealed record CallerResponse(string Name, string Role, IReadOnlyList<string> Permissions);
