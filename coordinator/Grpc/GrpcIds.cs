using BuildFarm.Coordinator.Errors;

namespace BuildFarm.Coordinator.Grpc;

internal static class GrpcIds
{
    public static Guid Parse(string value, string field) =>
        Guid.TryParse(value, out var id) ? id : throw new RequestInvalidException(field, $"{field} '{value}' is not a UUID.");
}
