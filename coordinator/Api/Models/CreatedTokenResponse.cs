namespace BuildFarm.Coordinator.Api.Models;

/// <summary>The one response that carries a token's secret: store it now, it cannot be shown again.</summary>
public sealed record CreatedTokenResponse(TokenResponse Token, string Secret);
