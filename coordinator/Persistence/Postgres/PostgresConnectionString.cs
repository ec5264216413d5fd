using Npgsql;

namespace BuildFarm.Coordinator.Persistence.Postgres;

/// <summary>The coordinator's defaults on top of the configured PostgreSQL connection string; what it sets, it overrides.</summary>
public static class PostgresConnectionString
{
    /// <summary>
    /// Turns on Npgsql's automatic preparation unless the string says otherwise: the coordinator repeats a few dozen
    /// statement shapes for every run, and a prepared statement skips the server's parse and plan each time.
    /// Behind a transaction-pooling PgBouncer, set <c>Max Auto Prepare=0</c>.
    /// </summary>
    public static string WithDefaults(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!Mentions(connectionString, "Max Auto Prepare", "MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 64;
        }
        if (!Mentions(connectionString, "Auto Prepare Min Usages", "AutoPrepareMinUsages"))
        {
            builder.AutoPrepareMinUsages = 2;
        }
        return builder.ConnectionString;
    }

    private static bool Mentions(string connectionString, params string[] keys) =>
        keys.Any(k => connectionString.Contains(k, StringComparison.OrdinalIgnoreCase));
}
