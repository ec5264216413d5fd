using BuildFarm.Coordinator.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace BuildFarm.Coordinator.Deployments;

/// <summary>
/// Serialises state changes of one deployment group's deployments across every coordinator. Instance completions
/// arrive concurrently, at any coordinator, and each recounts the rollout: unserialised, two last completions of an
/// AllAtOnce deployment would each see the other still running and neither would end it, and two OneAtATime
/// completions could both start "the next" instance. The group's row is the lock: a no-op update holds it
/// (PostgreSQL's row lock, SQLite's write lock) until the returned transaction ends, so the next holder reads
/// what this one decided.
/// </summary>
public sealed class DeploymentLock(BuildFarmDbContext db)
{
    public async Task<IDbContextTransaction> TakeAsync(Guid groupId, CancellationToken cancellationToken)
    {
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            await db.DeploymentGroups.Where(g => g.Id == groupId)
                .ExecuteUpdateAsync(s => s.SetProperty(g => g.DeploymentConfig, g => g.DeploymentConfig), cancellationToken);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }
}
