using Grpc.Core;

namespace BuildFarm.Client;

/// <summary>A coordinator call failed; carries the gRPC status and, for invalid input, every field violation.</summary>
public class BuildFarmException : Exception
{
    /// <summary>Creates the exception from the status the coordinator returned.</summary>
    public BuildFarmException(StatusCode status, string message, IReadOnlyList<FieldViolation> violations, Exception? inner = null)
        : base(message, inner)
    {
        Status = status;
        Violations = violations;
    }

    /// <summary>The gRPC status code (NotFound, InvalidArgument, FailedPrecondition, …).</summary>
    public StatusCode Status { get; }

    /// <summary>For an invalid definition: one entry per error, its description in <c>file:line:col: error: message</c> form.</summary>
    public IReadOnlyList<FieldViolation> Violations { get; }
}
