using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BuildFarm.Coordinator.Persistence.Sqlite;

/// <summary>
/// Lets SQLite itself wait for the write lock (its busy handler backs off from 1 ms) instead of
/// Microsoft.Data.Sqlite's own retry, which sleeps 150 ms per attempt: in the embedded farm the
/// dispatcher, log ingest and result consumers all write, and those sleeps dominated run latency.
/// </summary>
public sealed class SqliteBusyTimeoutInterceptor : DbConnectionInterceptor
{
    private const string Pragma = "PRAGMA busy_timeout = 30000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
