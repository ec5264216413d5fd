namespace BuildFarm.Coordinator.Errors;

/// <summary>The named pipeline, run or job does not exist: 404 / NOT_FOUND at the edge.</summary>
public sealed class NotFoundException(string what, string id)
    : Exception($"{what} '{id}' was not found.")
{
    public string What { get; } = what;
    public string Id { get; } = id;
}
