using System.Net.Sockets;
using Npgsql;

namespace BuildFarm.Coordinator.Persistence;

/// <summary>
/// Recognises "the database is away" (connection refused, reset, timed out) anywhere in an exception
/// chain, so the edge answers 503 / UNAVAILABLE, which clients retry, instead of a bare 500.
/// </summary>
public static class DatabaseUnavailable
{
    public static bool Is(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException { IsTransient: true } or SocketException)
            {
                return true;
            }
        }

        return false;
    }
}
