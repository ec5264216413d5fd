namespace BuildFarm.Coordinator.Api.Models;

public sealed record SecretBody(string? Value);
