namespace BuildFarm.Client;

/// <summary>One invalid field of a refused request.</summary>
/// <param name="Field">The field path, e.g. <c>phases.pre-build</c>.</param>
/// <param name="Description">What is wrong and where.</param>
public sealed record FieldViolation(string Field, string Description);
