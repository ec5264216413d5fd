namespace BuildFarm.Coordinator.Errors;

/// <summary>The request is valid but the current state forbids it: 409 / FAILED_PRECONDITION at the edge.</summary>
public sealed class ConflictException(string message) : Exception(message);
