using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BuildFarm.Coordinator.Persistence;

/// <summary>Recognises a unique-index violation on either provider, the dedupe signal (STYLE habit 4).</summary>
public static class UniqueViolation
{
    public static bool Is(DbUpdateException exception) => exception.InnerException switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
        // 19 = SQLITE_CONSTRAINT; 2067 = SQLITE_CONSTRAINT_UNIQUE, 1555 = SQLITE_CONSTRAINT_PRIMARYKEY.
        SqliteException sqlite => sqlite.SqliteErrorCode == 19
            && sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        _ => false,
    };
}
