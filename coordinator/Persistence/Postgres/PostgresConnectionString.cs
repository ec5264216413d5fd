using System.Data.Common;
using Npgsql;

namespace BuildFarm.Coordinator.Persistence.Postgres;

/// <summary>The coordinator's defaults on top of the configured PostgreSQL connection string; what it sets, it overrides.</summary>
public static class PostgresConnectionString
{
    /// <summary>
    /// Adds, unless the string sets them:
    /// <list type="bullet">
    /// <item>Npgsql's automatic preparation: the coordinator repeats a few dozen statement shapes for every run, and a
    /// prepared statement skips the server's parse and plan each time. Behind a transaction-pooling PgBouncer, set
    /// <c>Max Auto Prepare=0</c>.</item>
    /// <item><c>No Reset On Close</c>: a run checks a pooled connection out some 30 times, and each checkout otherwise
    /// begins with a reset of the session (a transaction of its own on the server). The coordinator keeps no session
    /// state (no SET, temporary tables, LISTEN or session advisory locks), so there is nothing to reset.</item>
    /// </list>
    /// </summary>
    public static string WithDefaults(string connectionString)
    {
        var given = KeysIn(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.Contains("maxautoprepare"))
        {
            builder.MaxAutoPrepare = 64;
        }
        if (!given.Contains("autoprepareminusages"))
        {
            builder.AutoPrepareMinUsages = 2;
        }
        if (!given.Contains("noresetonclose"))
        {
            builder.NoResetOnClose = true;
        }
        return builder.ConnectionString;
    }

    /// <summary>The keys the operator wrote, lower case without spaces (Npgsql accepts "Max Auto Prepare" and "MaxAutoPrepare").</summary>
    private static HashSet<string> KeysIn(string connectionString)
    {
        var parsed = new DbConnectionStringBuilder { ConnectionString = connectionString };
        return parsed.Keys.Cast<string>().Select(k => k.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
    }
}
