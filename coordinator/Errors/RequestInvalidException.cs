namespace BuildFarm.Coordinator.Errors;

/// <summary>A request field is malformed (not a definition): 400 / INVALID_ARGUMENT naming the field.</summary>
public sealed class RequestInvalidException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
