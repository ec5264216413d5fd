namespace BuildFarm.Coordinator.Errors;

/// <summary>A store the coordinator reads through (the dependency cache's) did not answer: 503 / UNAVAILABLE at the edge.</summary>
public sealed class StoreUnavailableException(string store, string message, Exception inner) : Exception(message, inner)
{
    public string Store { get; } = store;
}
