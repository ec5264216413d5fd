namespace BuildFarm.Coordinator.Auth;

/// <summary>Who is calling: a token's name and role, or why the presented credentials were refused.</summary>
public sealed record Caller(string Name, string Role)
{
    public static readonly Caller Anonymous = new("anonymous", "");
}
