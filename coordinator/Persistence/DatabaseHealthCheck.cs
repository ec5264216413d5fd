using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BuildFarm.Coordinator.Persistence;

/// <summary>Ready means able to serve: the database answers. Behind /readyz and grpc.health.v1.</summary>
public sealed class DatabaseHealthCheck(BuildFarmDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await db.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The database is unavailable.");
}
