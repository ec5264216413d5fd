namespace BuildFarm.EndToEndTests.Chaos;

/// <summary>One job of <see cref="RunView"/>.</summary>
internal sealed record JobView(Guid Id, string Status, int Attempt, string? WorkerId, int? ExitCode, string? Reason);
