using Grpc.Core;

namespace BuildFarm.Coordinator.Auth;

/// <summary>
/// A long-lived request stream (a job's log upload) checks its token again as messages arrive, so a
/// revoked worker token stops the writes within a second instead of at the end of the job.
/// </summary>
public sealed class ReauthenticatingReader<T>(IAsyncStreamReader<T> inner, string? authorization, ApiTokenService tokens) : IAsyncStreamReader<T>
{
    private long _lastCheck = Environment.TickCount64;

    public T Current => inner.Current;

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        var more = await inner.MoveNext(cancellationToken);
        if (!more || authorization is null || Environment.TickCount64 - _lastCheck < 1000)
        {
            return more;
        }

        _lastCheck = Environment.TickCount64;
        var presented = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : authorization;
        var (caller, refusal) = await tokens.AuthenticateAsync(presented, cancellationToken);
        return caller is not null ? more : throw new RpcException(new Status(StatusCode.Unauthenticated, refusal ?? "the token is no longer valid"));
    }
}
