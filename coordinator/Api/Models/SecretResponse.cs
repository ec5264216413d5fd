namespace BuildFarm.Coordinator.Api.Models;

public sealed record SecretResponse(string Name, DateTimeOffset UpdatedAt);
