namespace BuildFarm.Contracts.Events;

/// <summary>An artifact a job stored in the farm's artifact store (<c>Artifacts:*</c>), reported on <see cref="JobCompleted"/>.</summary>
/// <param name="Name">The buildspec's artifact name (<c>primary</c>, or a secondary artifact's identifier).</param>
/// <param name="Key">The store key, <c>{pipeline}/{runId}/{name}.zip</c>.</param>
/// <param name="SizeBytes">The zip's length.</param>
/// <param name="Sha256">Lowercase hex SHA-256 of the zip.</param>
public sealed record ArtifactResult(string Name, string Key, long SizeBytes, string Sha256);
