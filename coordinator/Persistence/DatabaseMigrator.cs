using BuildFarm.Coordinator.Options;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BuildFarm.Coordinator.Persistence;

/// <summary>Applies pending migrations before anything else starts (Database:MigrateOnStart).</summary>
public sealed class DatabaseMigrator(IServiceScopeFactory scopes, IOptions<DatabaseOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.MigrateOnStart)
        {
            await MigrateAsync(scopes, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public static async Task MigrateAsync(IServiceScopeFactory scopes, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BuildFarmDbContext>();
        await db.Database.MigrateAsync(cancellationToken);
        if (!db.SupportsSkipLocked)
        {
            // SQLite: readers must not block the single writer (log ingest, dispatcher) and vice versa.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }
}
